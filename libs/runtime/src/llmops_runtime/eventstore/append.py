"""Appending events inside a caller's transaction: serialized, hash-chained, version-checked."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

import asyncpg

from llmops_runtime.eventstore.errors import ConcurrencyConflict, EventTooLarge
from llmops_runtime.eventstore.hashing import COMPACT_JSON, GENESIS_HASH, chain_hash, content_text
from llmops_runtime.eventstore.records import EventMetadata, NewEvent
from llmops_runtime.eventstore.sizing import DEFAULT_MAX_EVENT_BYTES, record_bytes
from llmops_runtime.eventstore.sqlnames import checked_identifier, notify_channel


def _check_versions(events: Sequence[NewEvent], heads: dict[UUID, int]) -> None:
    # Each stream's new events must continue its stored head without gaps.
    expected: dict[UUID, int] = {}
    for ev in events:
        head = expected.get(ev.stream_id, heads.get(ev.stream_id, 0))
        if ev.stream_version != head + 1:
            raise ConcurrencyConflict(ev.stream_id, ev.stream_version - 1, head)
        expected[ev.stream_id] = ev.stream_version


async def append_events(
    conn: asyncpg.Connection,
    schema: str,
    events: Sequence[NewEvent],
    metadata: EventMetadata | Sequence[EventMetadata] | None = None,
    *,
    max_event_bytes: int = DEFAULT_MAX_EVENT_BYTES,
) -> list[int]:
    """Append events in the caller's open transaction and return their positions.

    Takes a transaction-level advisory lock, so appends are serialized: position order equals
    commit order and each row's hash chains to the row committed before it. Raises
    ConcurrencyConflict (before writing anything) when a stream's head moved. metadata is one
    for all events, or a sequence with one per event (a batch of commands in one append).
    Raises EventTooLarge (before writing anything) when an event's Kafka record would exceed
    max_event_bytes: the relay could never publish it.
    """
    if not conn.is_in_transaction():
        raise RuntimeError("append_events needs an open transaction on conn")
    if not events:
        return []
    s = checked_identifier(schema)
    if isinstance(metadata, Sequence):
        if len(metadata) != len(events):
            raise ValueError("one metadata per event, or one for all")
        metas = [m.to_dict() for m in metadata]
    else:
        metas = [metadata.to_dict() if metadata else {}] * len(events)
    prepared = _prepare(events, metas)
    for ev, meta, (payload_json, _, _) in zip(events, metas, prepared, strict=True):
        size = record_bytes(ev, meta, payload_json)
        if size > max_event_bytes:
            raise EventTooLarge(ev.wire_type, size, max_event_bytes)
    await conn.execute("SELECT pg_advisory_xact_lock(hashtext($1))", f"llmops-events:{s}")
    # One round trip for the stream heads, the last row (hash chain) and the commit time.
    state = await conn.fetchrow(
        f"SELECT array(SELECT ARRAY[stream_id::text, max(stream_version)::text] FROM {s}.events"
        "  WHERE stream_id = ANY($1::uuid[]) GROUP BY stream_id),"
        f" (SELECT position FROM {s}.events ORDER BY position DESC LIMIT 1),"
        f" (SELECT hash FROM {s}.events ORDER BY position DESC LIMIT 1),"
        # committed_at never goes backwards within a store, even when the clock steps back.
        " greatest(clock_timestamp(),"
        f" (SELECT committed_at FROM {s}.events ORDER BY position DESC LIMIT 1))",
        list({ev.stream_id for ev in events}),
    )
    assert state is not None
    heads, position, prev_hash, now = state
    _check_versions(events, {UUID(h[0]): int(h[1]) for h in heads})
    position, prev_hash = position or 0, prev_hash or GENESIS_HASH
    columns = _rows(events, prepared, position, prev_hash, now)
    # The NOTIFY rides in the same statement; it is delivered on commit only, waking the
    # outbox relay and other tailing readers.
    await conn.execute(
        f"WITH inserted AS (INSERT INTO {s}.events (position, event_id, stream_id,"
        " stream_version, wire_type, schema_version, payload, metadata, committed_at,"
        " prev_hash, hash)"
        " SELECT p, e, st, v, w, sv, pl::jsonb, md::jsonb, $9, ph, h FROM unnest("
        "$1::bigint[], $2::uuid[], $3::uuid[], $4::int[], $5::text[], $6::int[], $7::text[],"
        " $8::text[], $10::bytea[], $11::bytea[]) AS t(p, e, st, v, w, sv, pl, md, ph, h)"
        " RETURNING 1) SELECT pg_notify($12, '') WHERE EXISTS (SELECT FROM inserted)",
        *columns[:7],
        columns[9],
        now,
        *columns[7:9],
        notify_channel(s),
    )
    return list(range(position + 1, position + len(events) + 1))


def _prepare(
    events: Sequence[NewEvent], metas: Sequence[dict[str, str]]
) -> list[tuple[str, str, str]]:
    # Done before taking the lock: (payload json, metadata json, canonical content) per row.
    return [
        (
            COMPACT_JSON.encode(ev.payload),
            COMPACT_JSON.encode(meta),
            content_text(
                ev.event_id,
                ev.stream_id,
                ev.stream_version,
                ev.wire_type,
                ev.schema_version,
                ev.payload,
                meta,
            ),
        )
        for ev, meta in zip(events, metas, strict=True)
    ]


def _rows(
    events: Sequence[NewEvent],
    prepared: Sequence[tuple[str, str, str]],
    position: int,
    prev_hash: bytes,
    now: datetime,
) -> tuple[list[object], ...]:
    cols: tuple[list[object], ...] = tuple([] for _ in range(10))
    for ev, (payload_json, meta_json, content) in zip(events, prepared, strict=True):
        position += 1
        digest = chain_hash(prev_hash, position, now, content)
        row = (
            position,
            ev.event_id,
            ev.stream_id,
            ev.stream_version,
            ev.wire_type,
            ev.schema_version,
            payload_json,
            prev_hash,
            digest,
            meta_json,
        )
        for col, value in zip(cols, row, strict=True):
            col.append(value)
        prev_hash = digest
    return cols
