"""The outbox relay's guarantees, on the real PostgreSQL and Kafka."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections import defaultdict

import asyncpg
import pytest
from aiokafka import AIOKafkaConsumer

from llmops_runtime.eventstore import EventMetadata, EventStore
from llmops_runtime.projections import ProjectionRunner, rebuild_projections
from llmops_runtime.relay import EventEnvelope, OutboxRelay
from llmops_runtime.sample import Tally, tally_projection

pytestmark = pytest.mark.stack


async def read_topic(bootstrap: str, topic: str, count: int, timeout_s: float = 30.0) -> list:
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest")
    await consumer.start()
    records = []
    try:
        async with asyncio.timeout(timeout_s):
            while len(records) < count:
                for batch in (await consumer.getmany(timeout_ms=500)).values():
                    records.extend(batch)
    finally:
        await consumer.stop()
    return records


async def save_tallies(store: EventStore, count: int, increments: int = 2) -> list[Tally]:
    tallies = []
    for i in range(count):
        tally = Tally(f"t{i}", uuid.uuid4())
        for _ in range(increments):
            tally.increment(i)
        await store.save(tally, metadata=EventMetadata(actor="bob", traceparent=f"00-{i:032x}-01"))
        tallies.append(tally)
    return tallies


async def stop(task: asyncio.Task[None]) -> None:
    if task.done() and not task.cancelled() and task.exception() is not None:
        raise AssertionError("background task failed") from task.exception()
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await task


class TestPublishing:
    async def test_every_event_reaches_kafka_keyed_with_headers_in_stream_order(
        self, store: EventStore, pool: asyncpg.Pool, topic: str, kafka_bootstrap: str
    ) -> None:
        await save_tallies(store, 10)
        relay = OutboxRelay(pool, store.schema, topic, kafka_bootstrap, poll_interval_s=0.2)
        task = asyncio.create_task(relay.run())
        try:
            records = await read_topic(kafka_bootstrap, topic, 30)
        finally:
            await stop(task)
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
        self, store: EventStore, pool: asyncpg.Pool, topic: str, kafka_bootstrap: str
    ) -> None:
        # A long poll interval: only LISTEN/NOTIFY can make this fast.
        relay = OutboxRelay(pool, store.schema, topic, kafka_bootstrap, poll_interval_s=30)
        task = asyncio.create_task(relay.run())
        try:
            await asyncio.sleep(1.0)
            await save_tallies(store, 1, increments=0)
            records = await read_topic(kafka_bootstrap, topic, 1, timeout_s=10)
        finally:
            await stop(task)
        assert len(records) == 1


class TestSingleActiveRelay:
    async def test_a_second_relay_waits_and_takes_over_when_the_first_stops(
        self, store: EventStore, pool: asyncpg.Pool, topic: str, kafka_bootstrap: str
    ) -> None:
        first = OutboxRelay(pool, store.schema, topic, kafka_bootstrap, poll_interval_s=0.2)
        second = OutboxRelay(pool, store.schema, topic, kafka_bootstrap, poll_interval_s=0.2)
        first_task = asyncio.create_task(first.run())
        await asyncio.sleep(0.5)
        second_task = asyncio.create_task(second.run())
        await save_tallies(store, 3, increments=0)
        await asyncio.sleep(1.0)
        assert first.is_leader and not second.is_leader
        await stop(first_task)
        await save_tallies(store, 2, increments=0)
        try:
            records = await read_topic(kafka_bootstrap, topic, 5)
        finally:
            await stop(second_task)
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
        self, store: EventStore, pool: asyncpg.Pool, topic: str, kafka_bootstrap: str
    ) -> None:
        await save_tallies(store, 5)
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
            records = await read_topic(kafka_bootstrap, topic, 30)  # 15 events, twice
            assert len({dict(r.headers)["event_id"] for r in records}) == 15
            await wait_for_rows(pool, store.schema, 5, increments=10)
        finally:
            await stop(relay_task)
            await stop(runner_task)
        live = await totals(pool, store.schema)
        assert sorted(t for _, t, _ in live) == [0, 2, 4, 6, 8]
        await rebuild_projections(pool, store.schema, [projection], bootstrap=kafka_bootstrap)
        assert await totals(pool, store.schema) == live


async def totals(pool: asyncpg.Pool, schema: str) -> list[tuple[str, int, int]]:
    rows = await pool.fetch(
        f"SELECT name, total, increments FROM {schema}.tally_totals ORDER BY name"
    )
    return [tuple(r) for r in rows]


async def wait_for_rows(
    pool: asyncpg.Pool, schema: str, rows: int, increments: int, timeout_s: float = 30
) -> None:
    async with asyncio.timeout(timeout_s):
        while True:
            with contextlib.suppress(asyncpg.UndefinedTableError):
                found = await pool.fetchrow(
                    f"SELECT count(*), coalesce(sum(increments), 0) FROM {schema}.tally_totals"
                )
                if found is not None and tuple(found) == (rows, increments):
                    return
            await asyncio.sleep(0.1)
