"""Tracking tables: offsets reached, event ids applied, and parked (dead-letter) events."""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from uuid import UUID

import asyncpg

from llmops_runtime.eventstore.sqlnames import checked_identifier
from llmops_runtime.relay.envelope import EventEnvelope

SourceKey = tuple[str, int]  # (topic, partition); the own store is ("store", 0)
STORE_SOURCE: SourceKey = ("store", 0)
TRACKING_TABLES = (
    "projection_offsets",
    "projection_processed",
    "projection_dead_letters",
    "projection_generations",
)

_DDL = """
CREATE SCHEMA IF NOT EXISTS {s};
CREATE TABLE IF NOT EXISTS {s}.projection_offsets (
    projection  text    NOT NULL,
    topic       text    NOT NULL,
    partition   integer NOT NULL,
    next_offset bigint  NOT NULL,
    PRIMARY KEY (projection, topic, partition)
);
CREATE TABLE IF NOT EXISTS {s}.projection_processed (
    projection   text        NOT NULL,
    event_id     uuid        NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (projection, event_id)
);
-- processed_at: ids are pruned past a retention window (llmops_runtime.pruning). Checked
-- first, so a runner starting does not take ALTER TABLE's exclusive lock every time.
DO $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM information_schema.columns WHERE table_schema = '{s}'
        AND table_name = 'projection_processed' AND column_name = 'processed_at'
    ) THEN
        ALTER TABLE {s}.projection_processed
            ADD COLUMN processed_at timestamptz NOT NULL DEFAULT now();
    END IF;
END
$$;
CREATE INDEX IF NOT EXISTS projection_processed_at ON {s}.projection_processed (processed_at);
-- The key a projection's processed ids are stored under (its name until a rebuild): a rebuild
-- copies its ids under a fresh key beforehand, and its swap only repoints the key.
CREATE TABLE IF NOT EXISTS {s}.projection_generations (
    projection    text PRIMARY KEY,
    processed_key text NOT NULL
);
CREATE TABLE IF NOT EXISTS {s}.projection_dead_letters (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    projection text        NOT NULL,
    event_id   uuid        NOT NULL,
    topic      text        NOT NULL,
    partition  integer     NOT NULL,
    "offset"   bigint      NOT NULL,
    wire_type  text        NOT NULL,
    envelope   jsonb       NOT NULL,
    reason     text        NOT NULL,
    attempts   integer     NOT NULL,
    parked_at  timestamptz NOT NULL DEFAULT now()
);
"""


@dataclass(frozen=True, slots=True)
class SourcedEvent:
    """An event and where it was read from."""

    envelope: EventEnvelope
    topic: str
    partition: int
    offset: int


@dataclass(frozen=True, slots=True)
class Parked:
    """An event whose handler kept failing."""

    event: SourcedEvent
    reason: str
    attempts: int


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A record that is no event envelope (garbage, a tombstone): parked, never applied."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    reason: str


async def create_tracking_tables(conn: asyncpg.Connection, schema: str) -> None:
    """Create the tracking tables in schema if missing."""
    await conn.execute(_DDL.format(s=checked_identifier(schema)))


async def lock_projection(conn: asyncpg.Connection, schema: str, name: str) -> None:
    """Serialize a projection's transactions (live batches and the rebuild swap)."""
    await conn.execute("SELECT pg_advisory_xact_lock(hashtext($1))", f"llmops-proj:{schema}:{name}")


async def load_offsets(conn: asyncpg.Connection, schema: str, name: str) -> dict[SourceKey, int]:
    """The next offset to read per (topic, partition)."""
    rows = await conn.fetch(
        f"SELECT topic, partition, next_offset FROM {schema}.projection_offsets"
        " WHERE projection = $1",
        name,
    )
    return {(r[0], r[1]): r[2] for r in rows}


async def save_offsets(
    conn: asyncpg.Connection, schema: str, name: str, offsets: Mapping[SourceKey, int]
) -> None:
    """Upsert the next offsets to read."""
    await conn.executemany(
        f"INSERT INTO {schema}.projection_offsets (projection, topic, partition, next_offset)"
        " VALUES ($1, $2, $3, $4) ON CONFLICT (projection, topic, partition)"
        " DO UPDATE SET next_offset = excluded.next_offset",
        [(name, t, p, o) for (t, p), o in offsets.items()],
    )


def processed_key_sql(schema: str, name_param: str) -> str:
    """SQL of the key under which the projection named by name_param keeps processed ids."""
    return (
        f"coalesce((SELECT processed_key FROM {schema}.projection_generations"
        f" WHERE projection = {name_param}), {name_param})"
    )


async def claim_new(
    conn: asyncpg.Connection, schema: str, name: str, event_ids: Sequence[UUID]
) -> set[UUID]:
    """Record event ids as processed; return those that were not processed before."""
    rows = await conn.fetch(
        f"INSERT INTO {schema}.projection_processed (projection, event_id)"
        f" SELECT {processed_key_sql(schema, '$1')}, unnest($2::uuid[])"
        " ON CONFLICT DO NOTHING RETURNING event_id",
        name,
        list(event_ids),
    )
    return {r[0] for r in rows}


async def park(conn: asyncpg.Connection, schema: str, name: str, parked: Sequence[Parked]) -> None:
    """Store parked events with their reason."""
    await conn.executemany(
        f"INSERT INTO {schema}.projection_dead_letters (projection, event_id, topic, partition,"
        ' "offset", wire_type, envelope, reason, attempts)'
        " VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9)",
        [
            (
                name,
                p.event.envelope.event_id,
                p.event.topic,
                p.event.partition,
                p.event.offset,
                p.event.envelope.wire_type,
                json.dumps(json.loads(p.event.envelope.to_json())),
                p.reason,
                p.attempts,
            )
            for p in parked
        ],
    )


def _raw(data: bytes | None) -> str | None:
    return None if data is None else base64.b64encode(data).decode()


async def park_unreadable(
    conn: asyncpg.Connection, schema: str, name: str, records: Sequence[Unreadable]
) -> None:
    """Store unreadable records: nil event id, raw key and value in base64."""
    await conn.executemany(
        f"INSERT INTO {schema}.projection_dead_letters (projection, event_id, topic, partition,"
        ' "offset", wire_type, envelope, reason, attempts)'
        " VALUES ($1, $2, $3, $4, $5, '', $6::jsonb, $7, 0)",
        [
            (
                name,
                UUID(int=0),
                u.topic,
                u.partition,
                u.offset,
                json.dumps({"key_base64": _raw(u.key), "value_base64": _raw(u.value)}),
                u.reason,
            )
            for u in records
        ],
    )
