"""DDL of the dataset service's read model (the event store belongs to the runtime)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import asyncpg

from llmops_runtime.eventstore.sqlnames import checked_identifier

# One DDL per table, so each projection creates (and a rebuild swaps) only its own tables.
_TABLES: dict[str, str] = {
    "dataset_versions": """
CREATE TABLE IF NOT EXISTS {s}.dataset_versions (
    dataset_version_id  uuid        PRIMARY KEY,
    name                text        NOT NULL,
    version             text        NOT NULL,
    storage_uri         text        NOT NULL,
    owner_team          text        NOT NULL,
    change_log          text        NOT NULL,
    previous_version    text,
    diff_summary        text,
    pii_scan_status     text        NOT NULL,
    quality_score       double precision,
    registered_by       text        NOT NULL,
    approved_by         text,
    approved_at         timestamptz,
    registered_seq      bigint      NOT NULL,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS dataset_versions_name ON {s}.dataset_versions (name, registered_seq);
""",
}

READ_MODEL_TABLES = tuple(_TABLES)


def table_creator(*tables: str) -> Callable[[asyncpg.Connection, str], Awaitable[None]]:
    """create_tables(conn, schema) for the given read model tables, idempotent."""
    unknown = set(tables) - set(_TABLES)
    if unknown:
        raise ValueError(f"unknown read model tables: {sorted(unknown)}")

    async def create_tables(conn: asyncpg.Connection, schema: str) -> None:
        s = checked_identifier(schema)
        await conn.execute(f"CREATE SCHEMA IF NOT EXISTS {s}")
        for table in tables:
            await conn.execute(_TABLES[table].format(s=s))

    return create_tables


async def create_read_models(conn: asyncpg.Connection, schema: str) -> None:
    """Create every read model table if missing."""
    await table_creator(*READ_MODEL_TABLES)(conn, schema)
