"""Rebuild projections from scratch into a scratch schema, then swap their tables in."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence

import asyncpg
import structlog

from llmops_runtime.events_topics import check_history_complete
from llmops_runtime.eventstore.reading import iterate_after
from llmops_runtime.eventstore.sqlnames import checked_identifier
from llmops_runtime.projections.apply import apply_events
from llmops_runtime.projections.declaration import ProjectionLike, owned_tables, source_topics
from llmops_runtime.projections.sources import KafkaSource
from llmops_runtime.projections.tracking import (
    STORE_SOURCE,
    TRACKING_TABLES,
    SourcedEvent,
    create_tracking_tables,
    lock_projection,
    park,
    park_unreadable,
    processed_key_sql,
    save_offsets,
)
from llmops_runtime.relay.envelope import EventEnvelope

log = structlog.get_logger(__name__)

# Tracking rows replaced by the rebuild's inside the swap (a handful per projection); dead
# letters keep their own ids (an identity). Processed ids, which may be millions, are copied
# before the swap under a fresh key (see _stage_processed).
_CARRIED = (
    ("projection_offsets", "projection, topic, partition, next_offset"),
    (
        "projection_dead_letters",
        'projection, event_id, topic, partition, "offset", wire_type, envelope, reason, attempts,'
        " parked_at",
    ),
)
_DELETE_BATCH = 10_000

Progress = Callable[[str, int], Awaitable[None] | None]


async def _report(progress: Progress | None, name: str, count: int) -> None:
    if progress is not None:
        result = progress(name, count)
        if result is not None:
            await result


async def _from_store(
    pool: asyncpg.Pool,
    schema: str,
    scratch: str,
    projection: ProjectionLike,
    progress: Progress | None,
) -> int:
    count, reached = 0, 0
    async with pool.acquire() as reader:
        async for records in iterate_after(reader, schema, 0, batch_size=5000):
            batch = [
                SourcedEvent(EventEnvelope.from_record(r), *STORE_SOURCE, r.position)
                for r in records
            ]
            async with pool.acquire() as conn, conn.transaction():
                parked = await apply_events(
                    conn, projection, scratch, scratch, projection.name, batch, deduplicate=False
                )
                await park(conn, scratch, projection.name, parked)
            count, reached = count + len(batch), records[-1].position
            await _report(progress, projection.name, count)
    async with pool.acquire() as conn:
        await save_offsets(conn, scratch, projection.name, {STORE_SOURCE: reached + 1})
    return count


async def _from_topic(
    pool: asyncpg.Pool,
    scratch: str,
    projection: ProjectionLike,
    bootstrap: str,
    progress: Progress | None,
) -> int:
    topics = source_topics(projection)
    assert topics
    source = KafkaSource(bootstrap, topics, group_id=None, batch_size=5000, wait_ms=500)
    await source.start({})
    count = 0
    try:
        ends = await source.end_offsets()
        while not await source.reached(ends):
            batch = [
                e for e in await source.next_batch() if e.offset < ends[(e.topic, e.partition)]
            ]
            unreadable = [
                u for u in source.take_unreadable() if u.offset < ends[(u.topic, u.partition)]
            ]
            if not batch and not unreadable:
                continue
            async with pool.acquire() as conn, conn.transaction():
                parked = await apply_events(
                    conn, projection, scratch, scratch, projection.name, batch
                )
                await park(conn, scratch, projection.name, parked)
                await park_unreadable(conn, scratch, projection.name, unreadable)
            count += len(batch)
            await _report(progress, projection.name, count)
        async with pool.acquire() as conn:
            await save_offsets(conn, scratch, projection.name, ends)
    finally:
        await source.stop()
    return count


async def rebuild_projections(
    pool: asyncpg.Pool,
    schema: str,
    projections: Sequence[ProjectionLike],
    *,
    bootstrap: str | None = None,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Rebuild projections and swap their tables in; reads go on meanwhile. Returns counts.

    Raises HistoryGone, before touching anything, when a Kafka-fed projection's topic lost
    its first records (log start offset above 0): the rebuilt tables would silently miss them.
    """
    s = checked_identifier(schema)
    if bootstrap is not None:
        for topic in (t for p in projections for t in source_topics(p)):
            await check_history_complete(bootstrap, topic)
    scratch = checked_identifier(f"{s}_rebuild")
    async with pool.acquire() as conn:
        await conn.execute(f"DROP SCHEMA IF EXISTS {scratch} CASCADE; CREATE SCHEMA {scratch}")
        await create_tracking_tables(conn, s)  # a first rebuild may precede any runner
        await create_tracking_tables(conn, scratch)
        for projection in projections:
            await projection.create_tables(conn, scratch)
    counts: dict[str, int] = {}
    for projection in projections:
        if not source_topics(projection):
            counts[projection.name] = await _from_store(pool, s, scratch, projection, progress)
        elif bootstrap is None:
            raise ValueError(f"projection {projection.name} reads Kafka: bootstrap needed")
        else:
            counts[projection.name] = await _from_topic(
                pool, scratch, projection, bootstrap, progress
            )
    await _swap(pool, s, scratch, projections)
    return counts


async def _stage_processed(
    pool: asyncpg.Pool, schema: str, scratch: str, names: Sequence[str]
) -> dict[str, str]:
    """Copy the rebuild's processed ids into the live table under fresh keys; no lock taken.

    No runner writes under a fresh key, so the copy only conflicts with itself: live reads
    and writes of the projection go on meanwhile.
    """
    keys = {name: f"{name}#{uuid.uuid4().hex}" for name in names}
    async with pool.acquire() as conn:
        for name, key in keys.items():
            await conn.execute(
                f"INSERT INTO {schema}.projection_processed (projection, event_id, processed_at)"
                f" SELECT $2, event_id, processed_at FROM {scratch}.projection_processed"
                " WHERE projection = $1",
                name,
                key,
            )
    return keys


async def _drop_processed(pool: asyncpg.Pool, schema: str, keys: Sequence[str]) -> None:
    """Delete the processed ids stored under keys no longer current, in short batches."""
    for key in keys:
        while True:
            status = await pool.execute(
                f"DELETE FROM {schema}.projection_processed WHERE (projection, event_id) IN ("
                f"SELECT projection, event_id FROM {schema}.projection_processed"
                " WHERE projection = $1 LIMIT $2)",
                key,
                _DELETE_BATCH,
            )
            if int(status.split()[-1]) < _DELETE_BATCH:
                break


async def _move_functions(conn: asyncpg.Connection, scratch: str, schema: str) -> None:
    """Move the functions the rebuild's DDL made (e.g. a table's trigger function) in too.

    Left in the scratch schema they would go with it, and the triggers using them with them.
    The live function of the same name belonged to the tables just dropped; one still in use
    elsewhere makes the DROP (and the swap) fail rather than lose a trigger.
    """
    rows = await conn.fetch(
        "SELECT proname, pg_get_function_identity_arguments(oid) FROM pg_proc"
        " WHERE pronamespace = $1::regnamespace",
        scratch,
    )
    for name, arguments in rows:
        f = checked_identifier(name)
        await conn.execute(f"DROP FUNCTION IF EXISTS {schema}.{f}({arguments})")
        await conn.execute(f"ALTER FUNCTION {scratch}.{f}({arguments}) SET SCHEMA {schema}")


async def _swap(
    pool: asyncpg.Pool, schema: str, scratch: str, projections: Sequence[ProjectionLike]
) -> None:
    names = [p.name for p in projections]
    declared = [t for p in projections for t in owned_tables(p)]
    keys = await _stage_processed(pool, schema, scratch, names)
    try:
        async with pool.acquire() as conn, conn.transaction():
            # From here on the projection's live batches wait; only small rows are written.
            for name in sorted(names):
                await lock_projection(conn, schema, name)
            retired = [
                r[0]
                for r in await conn.fetch(
                    f"SELECT {processed_key_sql(schema, 'n')} FROM unnest($1::text[]) AS n",
                    names,
                )
            ]
            await conn.executemany(
                f"INSERT INTO {schema}.projection_generations (projection, processed_key)"
                " VALUES ($1, $2) ON CONFLICT (projection)"
                " DO UPDATE SET processed_key = excluded.processed_key",
                list(keys.items()),
            )
            for table, columns in _CARRIED:
                await conn.execute(
                    f"DELETE FROM {schema}.{table} WHERE projection = ANY($1)", names
                )
                await conn.execute(
                    f"INSERT INTO {schema}.{table} ({columns})"
                    f" SELECT {columns} FROM {scratch}.{table} WHERE projection = ANY($1)",
                    names,
                )
            tables = declared or [
                r[0]
                for r in await conn.fetch(
                    "SELECT tablename FROM pg_tables WHERE schemaname = $1", scratch
                )
                if r[0] not in TRACKING_TABLES
            ]
            # Last, so the exclusive locks on the read-model tables are held only for renames.
            for table in tables:
                t = checked_identifier(table)
                await conn.execute(f"DROP TABLE IF EXISTS {schema}.{t} CASCADE")
                await conn.execute(f"ALTER TABLE {scratch}.{t} SET SCHEMA {schema}")
            await _move_functions(conn, scratch, schema)
    except BaseException:
        await _drop_processed(pool, schema, list(keys.values()))  # the swap did not happen
        raise
    async with pool.acquire() as conn:
        await conn.execute(f"DROP SCHEMA {scratch} CASCADE")
    await _drop_processed(pool, schema, retired)
    log.info("projection.rebuilt", schema=schema, projections=names, tables=tables)
