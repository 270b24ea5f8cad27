"""DDL of the dataset service's read model (the event store belongs to the runtime)."""

from __future__ import annotations

import asyncpg

from llmops_runtime.eventstore.sqlnames import checked_identifier

_DDL = """
CREATE SCHEMA IF NOT EXISTS {s};

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
"""

READ_MODEL_TABLES = ("dataset_versions",)


async def create_read_models(conn: asyncpg.Connection, schema: str) -> None:
    """Create the read model tables if missing."""
    await conn.execute(_DDL.format(s=checked_identifier(schema)))
