"""A projection waits out lock timeouts and other transient database errors; nothing is parked."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import asyncpg
import pytest

from llmops_runtime.eventstore import EventStore
from llmops_runtime.projections import ProjectionRunner
from llmops_runtime.relay import OutboxRelay, idempotent_producer
from llmops_testing.sample import tally_projection

pytestmark = pytest.mark.stack


@pytest.fixture(params=["lock_timeout", "statement_timeout"])
async def impatient_pool(
    database_url: str, request: pytest.FixtureRequest
) -> AsyncIterator[asyncpg.Pool]:
    """A pool whose sessions give up waiting on a lock (or on any statement) after 50 ms."""
    created = await asyncpg.create_pool(
        database_url, min_size=1, max_size=4, server_settings={request.param: "50"}
    )
    try:
        yield created
    finally:
        await created.close()


async def relay_all(pool: asyncpg.Pool, store: EventStore, topic: str, bootstrap: str) -> None:
    """Publish the whole store to topic once."""
    relay = OutboxRelay(pool, store.schema, topic, bootstrap)
    producer = idempotent_producer(bootstrap)
    await producer.start()
    try:
        async with pool.acquire() as conn:
            await relay.relay_batch(conn, producer)
    finally:
        await producer.stop()


@pytest.mark.parametrize("source", ["store", "kafka"])
async def test_events_arriving_while_a_read_model_table_is_locked_are_all_applied_later(
    source: str,
    store: EventStore,
    pool: asyncpg.Pool,
    impatient_pool: asyncpg.Pool,
    topic: str,
    kafka_bootstrap: str,
    kit,
) -> None:
    projection = tally_projection(topic if source == "kafka" else None)
    runner = ProjectionRunner(
        impatient_pool,
        store.schema,
        projection,
        bootstrap=kafka_bootstrap,
        poll_interval_s=0.1,
        max_attempts=3,
    )
    await runner.setup()
    task = asyncio.create_task(runner.run())
    try:
        async with pool.acquire() as holder:
            lock = holder.transaction()
            await lock.start()
            await holder.execute(f"LOCK TABLE {store.schema}.tally_totals IN ACCESS EXCLUSIVE MODE")
            # 5 tallies opened and incremented once: 10 events arrive behind the lock.
            await kit.save_tallies(store, 5, increments=1)
            if source == "kafka":
                await relay_all(pool, store, topic, kafka_bootstrap)
            await asyncio.sleep(2.0)
            await lock.rollback()
        await kit.wait_for_rows(pool, store.schema, rows=5, increments=5)
        parked = await pool.fetchval(f"SELECT count(*) FROM {store.schema}.projection_dead_letters")
        assert parked == 0
        assert await kit.totals(pool, store.schema) == [(f"t{i:04d}", i, 1) for i in range(5)]
        assert not task.done()
    finally:
        await kit.stop(task)
