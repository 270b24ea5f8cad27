"""The projection runner's guarantees, on the real PostgreSQL and Kafka."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
import pytest

from llmops_runtime.eventstore import EventStore
from llmops_runtime.projections import ProjectionRunner, rebuild_projections
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


async def run_until(
    kit, runner: ProjectionRunner, pool, schema, rows: int, increments: int
) -> None:
    task = asyncio.create_task(runner.run())
    try:
        await kit.wait_for_rows(pool, schema, rows, increments)
    finally:
        await kit.stop(task)


async def offsets(pool: asyncpg.Pool, schema: str, name: str) -> dict[int, int]:
    """The next offset to read per partition of a projection."""
    rows = await pool.fetch(
        f"SELECT partition, next_offset FROM {schema}.projection_offsets WHERE projection = $1",
        name,
    )
    return {r[0]: r[1] for r in rows}


class CrashBeforeKafkaCommit(Exception):
    pass


class CrashingRunner(ProjectionRunner):
    """Dies after its PostgreSQL transaction committed, before the Kafka offset commit."""

    async def after_commit(self, source, offsets) -> None:
        raise CrashBeforeKafkaCommit


class TestExactlyOnceEffect:
    async def test_killed_between_transaction_and_kafka_commit_no_double_effect(
        self, store: EventStore, pool: asyncpg.Pool, topic: str, kafka_bootstrap: str, kit
    ) -> None:
        await kit.save_tallies(store, 4)
        await publish_history(pool, store, topic, kafka_bootstrap)
        projection = tally_projection(topic)
        crashing = CrashingRunner(pool, store.schema, projection, bootstrap=kafka_bootstrap)
        with pytest.raises(CrashBeforeKafkaCommit):
            await asyncio.wait_for(crashing.run(), 30)
        runner = ProjectionRunner(
            pool, store.schema, projection, bootstrap=kafka_bootstrap, poll_interval_s=0.2
        )
        await kit.save_tallies(store, 1)
        await publish_history(pool, store, topic, kafka_bootstrap)  # stored position: only new
        await run_until(kit, runner, pool, store.schema, rows=5, increments=10)
        live = await kit.totals(pool, store.schema)
        assert sorted(t for _, t, _ in live) == [0, 0, 2, 4, 6]
        await rebuild_projections(pool, store.schema, [projection], bootstrap=kafka_bootstrap)
        assert await kit.totals(pool, store.schema) == live

    async def test_duplicates_and_a_full_replay_from_offset_zero_change_nothing(
        self, store: EventStore, pool: asyncpg.Pool, topic: str, kafka_bootstrap: str, kit
    ) -> None:
        await kit.save_tallies(store, 3)
        await publish_history(pool, store, topic, kafka_bootstrap)
        projection = tally_projection(topic)
        runner = ProjectionRunner(
            pool, store.schema, projection, bootstrap=kafka_bootstrap, poll_interval_s=0.2
        )
        await run_until(kit, runner, pool, store.schema, rows=3, increments=6)
        before = await kit.totals(pool, store.schema)
        # Duplicate delivery: the whole history published a second time.
        await pool.execute(f"DELETE FROM {store.schema}.relay_position")
        await publish_history(pool, store, topic, kafka_bootstrap)
        await kit.save_tallies(store, 1, increments=0)  # a marker to know the runner caught up
        await publish_history(pool, store, topic, kafka_bootstrap)
        await run_until(kit, runner, pool, store.schema, rows=4, increments=6)
        # Full replay from offset 0: wait until the runner has re-read up to where it was.
        reached = await offsets(pool, store.schema, projection.name)
        await pool.execute(
            f"UPDATE {store.schema}.projection_offsets SET next_offset = 0 WHERE projection = $1",
            projection.name,
        )
        task = asyncio.create_task(runner.run())
        try:
            async with asyncio.timeout(30):
                while True:
                    if await offsets(pool, store.schema, projection.name) == reached:
                        break
                    await asyncio.sleep(0.1)
        finally:
            await kit.stop(task)
        after = sorted(await kit.totals(pool, store.schema))
        assert after == sorted([*before, ("t0000", 0, 0)])
        await rebuild_projections(pool, store.schema, [projection], bootstrap=kafka_bootstrap)
        assert sorted(await kit.totals(pool, store.schema)) == after


class TestPoisonEvents:
    async def test_a_failing_event_is_parked_with_its_reason_and_the_runner_goes_on(
        self, store: EventStore, pool: asyncpg.Pool, topic: str, kafka_bootstrap: str, kit
    ) -> None:
        poisoned = Tally("poisoned", uuid.uuid4())
        poisoned.increment(1)
        poisoned.increment(POISON_AMOUNT)
        poisoned.increment(2)
        await store.save(poisoned)
        await kit.save_tallies(store, 2)
        await publish_history(pool, store, topic, kafka_bootstrap)
        runner = ProjectionRunner(
            pool, store.schema, tally_projection(topic), bootstrap=kafka_bootstrap, max_attempts=2
        )
        await run_until(kit, runner, pool, store.schema, rows=3, increments=6)
        parked = await pool.fetch(f"SELECT * FROM {store.schema}.projection_dead_letters")
        assert len(parked) == 1
        assert parked[0]["attempts"] == 2
        assert "refused" in parked[0]["reason"]
        dead = await kit.read_topic(kafka_bootstrap, f"{topic}.dlq", 1)
        headers = dict(dead[0].headers)
        assert b"refused" in headers["reason"]
        assert EventEnvelope.from_json(dead[0].value).payload["amount"] == POISON_AMOUNT
        totals = {name: total for name, total, _ in await kit.totals(pool, store.schema)}
        assert totals["poisoned"] == 3


class TestOwnStoreProjection:
    async def test_tails_the_store_and_rebuild_swaps_while_reads_go_on(
        self, store: EventStore, pool: asyncpg.Pool, kit
    ) -> None:
        projection = tally_projection(None)
        runner = ProjectionRunner(pool, store.schema, projection, poll_interval_s=5)
        task = asyncio.create_task(runner.run())
        try:
            await kit.save_tallies(store, 10)  # arrives through LISTEN/NOTIFY, not polling
            await kit.wait_for_rows(pool, store.schema, 10, 20, timeout_s=4)
            live = await kit.totals(pool, store.schema)
            reads: list[int] = []
            stop_reading = asyncio.Event()

            async def reader() -> None:
                while not stop_reading.is_set():
                    reads.append(len(await kit.totals(pool, store.schema)))

            reading = asyncio.create_task(reader())
            counts = await rebuild_projections(pool, store.schema, [projection])
            stop_reading.set()
            await reading
            assert counts == {projection.name: 30}
            assert await kit.totals(pool, store.schema) == live
            assert reads and set(reads) == {10}
            await kit.save_tallies(store, 1)  # the live runner follows the swapped-in tables
            await kit.wait_for_rows(pool, store.schema, 11, 22)
        finally:
            await kit.stop(task)
