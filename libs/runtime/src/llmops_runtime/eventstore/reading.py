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


# A batch of the global log holds at most this many bytes of payload and metadata JSON
# (a single larger row still comes alone), so a backlog of big events never loads a
# batch_size-times-max-event batch into a relay, runner, rebuild, verify or replay.
DEFAULT_MAX_BATCH_BYTES = 4 * 1024 * 1024

# The window sums sizes over the LIMITed page only: a running sum over the whole tail would
# read every row after position.
_READ_AFTER = """
SELECT position, event_id, stream_id, stream_version, wire_type, schema_version,
       payload_text, metadata_text, committed_at, prev_hash, hash
FROM (
    SELECT page.*,
           row_number() OVER w AS n,
           sum(octet_length(payload_text) + octet_length(metadata_text)) OVER w AS running
    FROM (
        SELECT position, event_id, stream_id, stream_version, wire_type, schema_version,
               payload::text AS payload_text, metadata::text AS metadata_text,
               committed_at, prev_hash, hash
        FROM {s}.events WHERE position > $1 ORDER BY position LIMIT $2
    ) page
    WINDOW w AS (ORDER BY position ROWS UNBOUNDED PRECEDING)
) sized
WHERE n = 1 OR running <= $3
ORDER BY position
"""


async def read_after(
    db: Executor,
    schema: str,
    position: int,
    limit: int,
    *,
    max_bytes: int = DEFAULT_MAX_BATCH_BYTES,
) -> list[StoredRecord]:
    """Up to limit rows, and up to max_bytes of JSON, after position, in commit order.

    The first row always comes, whatever its size, so a reader always moves on.
    Appends are serialized by a lock held until commit and positions are gapless, so a row
    with a lower position is always visible before any higher one: reading after the last
    position seen never skips a late commit.
    """
    s = checked_identifier(schema)
    rows = await db.fetch(_READ_AFTER.format(s=s), position, limit, max_bytes)
    return [record_from_row(r) for r in rows]


async def iterate_after(
    db: Executor,
    schema: str,
    position: int = 0,
    *,
    batch_size: int = 5000,
    max_bytes: int = DEFAULT_MAX_BATCH_BYTES,
) -> AsyncIterator[list[StoredRecord]]:
    """Batches of all rows after position (bounded by rows and bytes), until the head."""
    while True:
        batch = await read_after(db, schema, position, batch_size, max_bytes=max_bytes)
        if not batch:
            return
        yield batch
        position = batch[-1].position


async def head_position(db: Executor, schema: str) -> int:
    """The highest committed position (0 for an empty store)."""
    s = checked_identifier(schema)
    value = await db.fetchval(f"SELECT coalesce(max(position), 0) FROM {s}.events")
    return int(value)
