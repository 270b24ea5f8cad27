"""The outbox relay's guarantees, on the real PostgreSQL and Kafka."""

from __future__ import annotations

import asyncio
from collections import defaultdict

import asyncpg
import pytest

from llmops_runtime.eventstore import EventStore
from llmops_runtime.projections import ProjectionRunner, rebuild_projections
from llmops_runtime.relay import EventEnvelope, OutboxRelay
from llmops_testing.sample import tally_projection

pytestmark = pytest.mark.stack


class TestPublishing:
    async def test_every_event_reaches_kafka_keyed_with_headers_in_stream_order(
        self, store: EventStore, pool: asyncpg.Pool, topic: str, kafka_bootstrap: str, kit
    ) -> None:
        await kit.save_tallies(store, 10)
        relay = OutboxRelay(pool, store.schema, topic, kafka_bootstrap, poll_interval_s=0.2)
        task = asyncio.create_task(relay.run())
        try:
            records = await kit.read_topic(kafka_bootstrap, topic, 30)
            for _ in range(100):  # the position is written right after the broker's ack
                if relay.position == 30:
                    break
                await asyncio.sleep(0.05)
        finally:
            await kit.stop(task)
        by_stream: dict[bytes, list[int]] = defaultdict(list)
        for rec in records:
            env = EventEnvelope.from_json(rec.value)
            headers = dict(rec.headers)
            assert rec.key == str(env.stream_id).encode()
            assert headers["event_id"] == str(env.event_id).encode()
            assert headers["wire_type"] == env.wire_type.encode()
            assert headers["position"] == str(env.position).encode()
            assert headers["traceparent"].startswith(b"00-")
            assert "originator_topic" not in env.payload
            by_stream[rec.key].append(env.stream_version)
        assert all(v == [1, 2, 3] for v in by_stream.values())
        assert len(by_stream) == 10
        stored = await pool.fetchval(f"SELECT position FROM {store.schema}.relay_position")
        assert stored == 30

    async def test_a_new_event_is_published_promptly_after_notify(
        self, store: EventStore, pool: asyncpg.Pool, topic: str, kafka_bootstrap: str, kit
    ) -> None:
        # A long poll interval: only LISTEN/NOTIFY can make this fast.
        relay = OutboxRelay(pool, store.schema, topic, kafka_bootstrap, poll_interval_s=30)
        task = asyncio.create_task(relay.run())
        try:
            await asyncio.sleep(1.0)
            await kit.save_tallies(store, 1, increments=0)
            records = await kit.read_topic(kafka_bootstrap, topic, 1, timeout_s=10)
        finally:
            await kit.stop(task)
        assert len(records) == 1


class TestSingleActiveRelay:
    async def test_a_second_relay_waits_and_takes_over_when_the_first_stops(
        self, store: EventStore, pool: asyncpg.Pool, topic: str, kafka_bootstrap: str, kit
    ) -> None:
        first = OutboxRelay(pool, store.schema, topic, kafka_bootstrap, poll_interval_s=0.2)
        second = OutboxRelay(pool, store.schema, topic, kafka_bootstrap, poll_interval_s=0.2)
        first_task = asyncio.create_task(first.run())
        await asyncio.sleep(0.5)
        second_task = asyncio.create_task(second.run())
        await kit.save_tallies(store, 3, increments=0)
        await asyncio.sleep(1.0)
        assert first.is_leader and not second.is_leader
        await kit.stop(first_task)
        await kit.save_tallies(store, 2, increments=0)
        try:
            records = await kit.read_topic(kafka_bootstrap, topic, 5)
        finally:
            await kit.stop(second_task)
        assert second.is_leader
        assert len({dict(r.headers)["event_id"] for r in records}) == 5


class CrashBeforePositionWrite(Exception):
    pass


class CrashingRelay(OutboxRelay):
    """Dies after the broker acknowledged a batch, before recording the position."""

    async def record_position(self, conn: asyncpg.Connection, position: int) -> None:
        raise CrashBeforePositionWrite


class TestRelayCrash:
    async def test_killed_between_publish_and_position_write_every_event_applied_once(
        self, store: EventStore, pool: asyncpg.Pool, topic: str, kafka_bootstrap: str, kit
    ) -> None:
        await kit.save_tallies(store, 5)
        crashing = CrashingRelay(pool, store.schema, topic, kafka_bootstrap, poll_interval_s=0.2)
        with pytest.raises(CrashBeforePositionWrite):
            await asyncio.wait_for(crashing.run(), 30)
        relay = OutboxRelay(pool, store.schema, topic, kafka_bootstrap, poll_interval_s=0.2)
        relay_task = asyncio.create_task(relay.run())
        projection = tally_projection(topic)
        runner = ProjectionRunner(
            pool, store.schema, projection, bootstrap=kafka_bootstrap, poll_interval_s=0.2
        )
        runner_task = asyncio.create_task(runner.run())
        try:
            records = await kit.read_topic(kafka_bootstrap, topic, 30)  # 15 events, twice
            assert len({dict(r.headers)["event_id"] for r in records}) == 15
            await kit.wait_for_rows(pool, store.schema, 5, increments=10)
        finally:
            await kit.stop(relay_task)
            await kit.stop(runner_task)
        live = await kit.totals(pool, store.schema)
        assert sorted(t for _, t, _ in live) == [0, 2, 4, 6, 8]
        await rebuild_projections(pool, store.schema, [projection], bootstrap=kafka_bootstrap)
        assert await kit.totals(pool, store.schema) == live


class TestDatabaseConnectionLoss:
    async def test_a_terminated_connection_is_replaced_and_relaying_goes_on(
        self,
        store: EventStore,
        pool: asyncpg.Pool,
        topic: str,
        kafka_bootstrap: str,
        database_url: str,
        kit,
    ) -> None:
        app = f"relay_{store.schema}"
        own = await asyncpg.create_pool(
            database_url, min_size=1, max_size=2, server_settings={"application_name": app}
        )
        relay = OutboxRelay(own, store.schema, topic, kafka_bootstrap, poll_interval_s=0.2)
        task = asyncio.create_task(relay.run())
        try:
            await kit.save_tallies(store, 2)
            await kit.read_topic(kafka_bootstrap, topic, 6)
            killed = await pool.fetchval(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE application_name = $1",
                app,
            )
            assert killed >= 1
            await kit.save_tallies(store, 2)
            records = await kit.read_topic(kafka_bootstrap, topic, 12)
            assert {EventEnvelope.from_json(r.value).position for r in records} == set(range(1, 13))
            assert not task.done()
        finally:
            await kit.stop(task)
            await own.close()


class TestStopping:
    async def test_a_relay_whose_pool_is_closed_ends_instead_of_retrying_forever(
        self, database_url: str, store: EventStore, topic: str, kafka_bootstrap: str
    ) -> None:
        own = await asyncpg.create_pool(database_url, min_size=1, max_size=2)
        relay = OutboxRelay(own, store.schema, topic, kafka_bootstrap, poll_interval_s=0.2)
        task = asyncio.create_task(relay.run())
        for _ in range(100):
            if relay.is_leader:
                break
            await asyncio.sleep(0.05)
        assert relay.is_leader
        own.terminate()  # the host's shutdown: every connection goes, the pool is closed
        done, _ = await asyncio.wait([task], timeout=5)
        assert task in done, "the relay kept retrying on a closed pool"
        assert task.cancelled()

    async def test_a_cancelled_relay_ends(
        self, pool: asyncpg.Pool, store: EventStore, topic: str, kafka_bootstrap: str
    ) -> None:
        relay = OutboxRelay(pool, store.schema, topic, kafka_bootstrap, poll_interval_s=0.2)
        task = asyncio.create_task(relay.run())
        await asyncio.sleep(0.5)
        task.cancel()
        done, _ = await asyncio.wait([task], timeout=5)
        assert task in done
