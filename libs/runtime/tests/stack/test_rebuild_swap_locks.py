"""A rebuild copies processed ids before its swap locks anything, on the real PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
import pytest

from llmops_runtime.eventstore import EventStore
from llmops_runtime.projections import ProjectionRunner, rebuild_projections
from llmops_runtime.projections.tracking import create_tracking_tables
from llmops_runtime.relay import OutboxRelay
from llmops_testing.sample import tally_projection

pytestmark = pytest.mark.stack


async def _until_waiting_on_lock(pool: asyncpg.Pool, fragment: str) -> None:
    """Wait until a backend waits on a lock in a statement mentioning fragment."""
    for _ in range(200):
        if await pool.fetchval(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
            " AND position($1 in query) > 0",
            fragment,
        ):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"nothing waits on {fragment}")


async def test_live_reads_and_writes_go_on_while_the_rebuild_copies_processed_ids(
    store: EventStore, pool: asyncpg.Pool, kit, database_url: str
) -> None:
    schema = store.schema
    projection = tally_projection(None)
    runner = ProjectionRunner(pool, schema, projection, poll_interval_s=0.2)
    task = asyncio.create_task(runner.run())
    blocker = await asyncpg.connect(database_url)
    probe = await asyncpg.connect(database_url)
    hold = blocker.transaction()
    try:
        await kit.save_tallies(store, 5)
        await kit.wait_for_rows(pool, schema, 5, 10)
        live = await kit.totals(pool, schema)
        scratch = f"{schema}_rebuild"

        async def pause_before_copy(name: str, count: int) -> None:
            # The events are applied; hold the copy of processed ids until the probe is done.
            await hold.start()
            await blocker.execute(
                f"LOCK TABLE {scratch}.projection_processed IN ACCESS EXCLUSIVE MODE"
            )

        rebuilding = asyncio.create_task(
            rebuild_projections(pool, schema, [projection], progress=pause_before_copy)
        )
        await _until_waiting_on_lock(pool, f"{scratch}.projection_processed")
        # While the copy waits, the live read model and tracking tables answer at once.
        await probe.execute("SET lock_timeout = '2s'")
        assert len(await probe.fetch(f"SELECT * FROM {schema}.tally_totals")) == 5
        async with probe.transaction():  # what a live batch of the projection takes
            await probe.execute(
                "SELECT pg_advisory_xact_lock(hashtext($1))",
                f"llmops-proj:{schema}:{projection.name}",
            )
            await probe.execute(
                f"INSERT INTO {schema}.projection_processed (projection, event_id)"
                " VALUES ('other', $1)",
                uuid.uuid4(),
            )
            await probe.execute(f"UPDATE {schema}.tally_totals SET total = total")
        assert not rebuilding.done()
        await hold.rollback()
        counts = await asyncio.wait_for(rebuilding, 30)
        assert counts == {projection.name: 15}
        assert await kit.totals(pool, schema) == live
        await kit.save_tallies(store, 1)  # the live runner follows the swapped-in tables
        await kit.wait_for_rows(pool, schema, 6, 12)
    finally:
        await blocker.close()
        await probe.close()
        await kit.stop(task)


async def test_a_rebuild_keeps_one_generation_of_processed_ids_and_new_events_claim_under_it(
    store: EventStore, pool: asyncpg.Pool, kit, topic: str, kafka_bootstrap: str
) -> None:
    schema = store.schema
    projection = tally_projection(topic)
    relay = OutboxRelay(pool, schema, topic, kafka_bootstrap, poll_interval_s=0.2)
    relaying = asyncio.create_task(relay.run())
    runner = ProjectionRunner(pool, schema, projection, bootstrap=kafka_bootstrap)
    task = asyncio.create_task(runner.run())
    try:
        await kit.save_tallies(store, 4)
        await kit.wait_for_rows(pool, schema, 4, 8)
        for _ in range(2):
            await rebuild_projections(pool, schema, [projection], bootstrap=kafka_bootstrap)
        # One generation of processed ids is kept: 12 events, under the current key.
        rows = await pool.fetch(
            f"SELECT projection, count(*) FROM {schema}.projection_processed GROUP BY projection"
        )
        current = await pool.fetchval(
            f"SELECT processed_key FROM {schema}.projection_generations WHERE projection = $1",
            projection.name,
        )
        assert [(r[0], r[1]) for r in rows] == [(current, 12)]
        # New events are applied once; the rebuilt ids still skip a redelivery.
        await kit.save_tallies(store, 1)
        await kit.wait_for_rows(pool, schema, 5, 10)
        assert (
            await pool.fetchval(
                f"SELECT count(*) FROM {schema}.projection_processed WHERE projection = $1", current
            )
            == 15
        )
    finally:
        await kit.stop(task)
        await kit.stop(relaying)


async def test_processed_ids_of_an_older_schema_gain_their_claim_time(
    pool: asyncpg.Pool, schema: str
) -> None:
    await pool.execute(
        f"CREATE SCHEMA {schema}; CREATE TABLE {schema}.projection_processed"
        " (projection text NOT NULL, event_id uuid NOT NULL, PRIMARY KEY (projection, event_id));"
        f" INSERT INTO {schema}.projection_processed VALUES ('p', gen_random_uuid())"
    )
    async with pool.acquire() as conn:
        await create_tracking_tables(conn, schema)
        await create_tracking_tables(conn, schema)  # idempotent
    assert (
        await pool.fetchval(
            f"SELECT count(*) FROM {schema}.projection_processed WHERE processed_at IS NOT NULL"
        )
        == 1
    )
