"""Projection runner and rebuild failures that must not stop or lose anything, on the real stack."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import asyncpg
import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaConnectionError

from llmops_runtime.eventstore import EventStore
from llmops_runtime.projections import Projection, ProjectionRunner, rebuild_projections
from llmops_runtime.projections import runner as runner_module
from llmops_runtime.projections.tracking import Parked, Unreadable
from llmops_runtime.relay import EventEnvelope, OutboxRelay, idempotent_producer
from llmops_testing.sample import POISON_AMOUNT, Tally, tally_projection

pytestmark = pytest.mark.stack


async def publish_history(pool: asyncpg.Pool, store: EventStore, topic: str, bootstrap: str) -> int:
    """Relay the whole store to topic once, then stop."""
    relay = OutboxRelay(pool, store.schema, topic, bootstrap)
    producer = idempotent_producer(bootstrap)
    await producer.start()
    try:
        async with pool.acquire() as conn:
            return await relay.relay_batch(conn, producer)
    finally:
        await producer.stop()


async def dead_letters(pool: asyncpg.Pool, schema: str) -> list[asyncpg.Record]:
    """The dead-letter rows in parking order."""
    rows: list[asyncpg.Record] = await pool.fetch(
        f'SELECT * FROM {schema}.projection_dead_letters ORDER BY partition, "offset"'
    )
    return rows


async def wait_for_dead_letters(pool: asyncpg.Pool, schema: str, count: int) -> None:
    """Wait until count dead letters are recorded."""
    async with asyncio.timeout(30):
        while True:
            if len(await dead_letters(pool, schema)) >= count:
                return
            await asyncio.sleep(0.1)


class TestUnreadableRecords:
    async def test_garbage_between_two_events_is_parked_and_the_runner_goes_on(
        self, store: EventStore, pool: asyncpg.Pool, topic: str, kafka_bootstrap: str, kit
    ) -> None:
        await kit.save_tallies(store, 2, increments=1)
        good = [EventEnvelope.from_record(r).to_json() for r in await store.read_after(0)]
        half = len(good) // 2
        garbage: list[bytes | None] = [b"not json", None, b'{"command_id": "x"}']
        producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
        await producer.start()
        try:
            for value in [*good[:half], *garbage, *good[half:]]:
                await producer.send_and_wait(topic, value, key=b"k", partition=0)
        finally:
            await producer.stop()
        projection = tally_projection(topic)
        runner = ProjectionRunner(
            pool, store.schema, projection, bootstrap=kafka_bootstrap, poll_interval_s=0.2
        )
        task = asyncio.create_task(runner.run())
        try:
            await kit.wait_for_rows(pool, store.schema, rows=2, increments=2)
            await wait_for_dead_letters(pool, store.schema, 3)
            await asyncio.sleep(0.5)
            assert not task.done()
        finally:
            await kit.stop(task)
        parked = await dead_letters(pool, store.schema)
        assert [p["offset"] for p in parked] == [half, half + 1, half + 2]
        assert all(p["reason"].startswith("unreadable: ") for p in parked)
        assert "tombstone" in parked[1]["reason"]
        assert "event_id" in parked[2]["reason"]
        offsets = await pool.fetchval(
            f"SELECT next_offset FROM {store.schema}.projection_offsets WHERE partition = 0"
        )
        assert offsets == len(good) + 3
        dead = await kit.read_topic(kafka_bootstrap, f"{topic}.dlq", 3)
        assert [r.value for r in dead] == garbage
        totals = await kit.totals(pool, store.schema)
        # A rebuild parks the same records again, in place of the live ones.
        await rebuild_projections(pool, store.schema, [projection], bootstrap=kafka_bootstrap)
        assert await kit.totals(pool, store.schema) == totals
        rebuilt = await dead_letters(pool, store.schema)
        assert [(p["offset"], p["reason"]) for p in rebuilt] == [
            (p["offset"], p["reason"]) for p in parked
        ]


async def broker_down(
    producer: AIOKafkaProducer,
    topic: str,
    projection: str,
    parked: Sequence[Parked],
    unreadable: Sequence[Unreadable] = (),
) -> None:
    """A dead-letter publish during a broker outage."""
    raise KafkaConnectionError("broker down")


class TestDeadLetterTopicOutage:
    async def test_a_failing_publish_keeps_the_dead_letter_and_the_runner(
        self,
        store: EventStore,
        pool: asyncpg.Pool,
        topic: str,
        kafka_bootstrap: str,
        kit,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        monkeypatch.setattr(runner_module, "publish_dead_letters", broker_down)
        poisoned = Tally("poisoned", uuid.uuid4())
        poisoned.increment(POISON_AMOUNT)
        await store.save(poisoned)
        await kit.save_tallies(store, 1)
        await publish_history(pool, store, topic, kafka_bootstrap)
        runner = ProjectionRunner(
            pool, store.schema, tally_projection(topic), bootstrap=kafka_bootstrap, max_attempts=1
        )
        task = asyncio.create_task(runner.run())
        try:
            await kit.wait_for_rows(pool, store.schema, rows=2, increments=2)
            await wait_for_dead_letters(pool, store.schema, 1)
            await asyncio.sleep(0.5)
            assert not task.done()
        finally:
            await kit.stop(task)
        assert "refused" in (await dead_letters(pool, store.schema))[0]["reason"]


class TestRebuildParks:
    async def test_a_failing_event_is_parked_by_a_rebuild_once(
        self, store: EventStore, pool: asyncpg.Pool, kit
    ) -> None:
        poisoned = Tally("poisoned", uuid.uuid4())
        poisoned.increment(1)
        poisoned.increment(POISON_AMOUNT)
        await store.save(poisoned)
        await kit.save_tallies(store, 1)
        projection = tally_projection(None)
        for _ in range(2):  # a second rebuild replaces the first one's dead letters
            await rebuild_projections(pool, store.schema, [projection])
            parked = await dead_letters(pool, store.schema)
            assert len(parked) == 1
            assert "refused" in parked[0]["reason"]
            assert (
                EventEnvelope.from_json(parked[0]["envelope"].encode()).payload["amount"]
                == POISON_AMOUNT
            )
        assert {t[0]: t[1] for t in await kit.totals(pool, store.schema)}["poisoned"] == 1


class TestDatabaseConnectionLoss:
    async def test_the_runner_takes_a_fresh_connection_and_re_reads_the_batch(
        self, store: EventStore, pool: asyncpg.Pool, kit
    ) -> None:
        killed: list[int] = []

        async def create(conn: asyncpg.Connection, schema: str) -> None:
            await conn.execute(f"CREATE TABLE IF NOT EXISTS {schema}.seen (wire_type text)")

        async def apply(
            conn: asyncpg.Connection,
            schema: str,
            wire_type: str,
            payload: Mapping[str, Any],
            at: datetime,
        ) -> None:
            if not killed:  # the first attempt loses its connection mid-batch
                killed.append(conn.get_server_pid())
                await conn.execute("SELECT pg_terminate_backend(pg_backend_pid())")
            await conn.execute(f"INSERT INTO {schema}.seen VALUES ($1)", wire_type)

        runner = ProjectionRunner(
            pool, store.schema, Projection("seen", None, create, apply), poll_interval_s=0.2
        )
        async with pool.acquire() as conn:
            await create(conn, store.schema)  # readable before the runner gets to it
        task = asyncio.create_task(runner.run())
        try:
            await kit.save_tallies(store, 2)
            expected = len(await store.read_after(0))
            async with asyncio.timeout(30):
                while True:
                    seen = await pool.fetchval(f"SELECT count(*) FROM {store.schema}.seen")
                    if seen == expected or task.done():
                        break
                    await asyncio.sleep(0.1)
            assert killed
            assert not task.done()
        finally:
            await kit.stop(task)
