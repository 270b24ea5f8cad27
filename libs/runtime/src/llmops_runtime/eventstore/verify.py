"""Recompute a store's hash chain and name the first row that does not match."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import asyncpg

from llmops_runtime.eventstore.hashing import GENESIS_HASH, chain_hash, content_text, parse_json
from llmops_runtime.eventstore.reading import Executor, iterate_after
from llmops_runtime.eventstore.records import StoredRecord


@dataclass(frozen=True, slots=True)
class BrokenRow:
    """The first row whose stored hash or link to the previous row does not match."""

    position: int
    reason: str
    record: StoredRecord


def _expected_hash(record: StoredRecord, prev_hash: bytes) -> bytes:
    content = content_text(
        record.event_id,
        record.stream_id,
        record.stream_version,
        record.wire_type,
        record.schema_version,
        parse_json(record.payload_json),
        parse_json(record.metadata_json),
    )
    return chain_hash(prev_hash, record.position, record.committed_at, content)


async def verify_chain(
    db: Executor | asyncpg.Connection,
    schema: str,
    progress: Callable[[int], Awaitable[None] | None] | None = None,
) -> BrokenRow | None:
    """Return the first broken row of schema's events, or None when the whole chain holds."""
    prev_hash, prev_position = GENESIS_HASH, 0
    async for batch in iterate_after(db, schema, 0):
        for record in batch:
            if record.position != prev_position + 1:
                return BrokenRow(record.position, f"gap after position {prev_position}", record)
            if record.prev_hash != prev_hash:
                return BrokenRow(record.position, "prev_hash does not match previous row", record)
            if _expected_hash(record, prev_hash) != record.hash:
                return BrokenRow(record.position, "hash does not match row content", record)
            prev_hash, prev_position = record.hash, record.position
        if progress is not None:
            result = progress(prev_position)
            if result is not None:
                await result
    return None
