"""Reading rows: a stream's history and the global log in commit order."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import TypeAlias
from uuid import UUID

import asyncpg

from llmops_runtime.eventstore.records import RECORD_COLUMNS, StoredRecord, record_from_row
from llmops_runtime.eventstore.sqlnames import checked_identifier

# Reads work on a pool or on a connection (inside the caller's transaction).
Executor: TypeAlias = asyncpg.Connection | asyncpg.Pool


async def read_stream(
    db: Executor,
    schema: str,
    stream_id: UUID,
    *,
    to_version: int | None = None,
    as_of: datetime | None = None,
) -> list[StoredRecord]:
    """A stream's rows in version order, optionally up to a version and/or a commit time."""
    s = checked_identifier(schema)
    rows = await db.fetch(
        f"SELECT {RECORD_COLUMNS} FROM {s}.events WHERE stream_id = $1"
        " AND ($2::int IS NULL OR stream_version <= $2)"
        " AND ($3::timestamptz IS NULL OR committed_at <= $3)"
        " ORDER BY stream_version",
        stream_id,
        to_version,
        as_of,
    )
    return [record_from_row(r) for r in rows]


async def read_after(db: Executor, schema: str, position: int, limit: int) -> list[StoredRecord]:
    """Up to limit rows with a position greater than position, in commit order.

    Appends are serialized by a lock held until commit and positions are gapless, so a row
    with a lower position is always visible before any higher one: reading after the last
    position seen never skips a late commit.
    """
    s = checked_identifier(schema)
    rows = await db.fetch(
        f"SELECT {RECORD_COLUMNS} FROM {s}.events WHERE position > $1 ORDER BY position LIMIT $2",
        position,
        limit,
    )
    return [record_from_row(r) for r in rows]


async def iterate_after(
    db: Executor, schema: str, position: int = 0, *, batch_size: int = 5000
) -> AsyncIterator[list[StoredRecord]]:
    """Batches of all rows after position, until the head present when each batch is read."""
    while True:
        batch = await read_after(db, schema, position, batch_size)
        if not batch:
            return
        yield batch
        position = batch[-1].position
        if len(batch) < batch_size:
            return


async def head_position(db: Executor, schema: str) -> int:
    """The highest committed position (0 for an empty store)."""
    s = checked_identifier(schema)
    value = await db.fetchval(f"SELECT coalesce(max(position), 0) FROM {s}.events")
    return int(value)
