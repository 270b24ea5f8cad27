"""DDL of the command bus tables in a service's schema: stored results and the audit record."""

from __future__ import annotations

import asyncpg

from llmops_runtime.append_only import append_only_ddl
from llmops_runtime.eventstore.sqlnames import checked_identifier

_DDL = """
CREATE SCHEMA IF NOT EXISTS {s};

CREATE TABLE IF NOT EXISTS {s}.command_results (
    command_id  text        PRIMARY KEY,
    result      jsonb       NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS {s}.command_audit (
    id             bigserial   PRIMARY KEY,
    at             timestamptz NOT NULL DEFAULT now(),
    actor          text,
    actor_verified boolean     NOT NULL,
    command_id     text,
    wire_type      text,
    status         text        NOT NULL,
    code           text,
    reason         text,
    correlation_id text,
    trace_id       text
);

-- What a stored result answered: a retry must come from the same actor with the same command.
ALTER TABLE {s}.command_results ADD COLUMN IF NOT EXISTS actor text;
ALTER TABLE {s}.command_results ADD COLUMN IF NOT EXISTS wire_type text;
ALTER TABLE {s}.command_results ADD COLUMN IF NOT EXISTS digest text;

CREATE INDEX IF NOT EXISTS command_audit_actor ON {s}.command_audit (actor, at);

"""
_DDL += append_only_ddl("command_audit", "the command audit is append-only: % refused")


async def create_command_tables(conn: asyncpg.Connection, schema: str) -> None:
    """Create (idempotently) command_results and command_audit in schema."""
    s = checked_identifier(schema)
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(hashtext('llmops-ddl:' || $1))", s)
        await conn.execute(_DDL.format(s=s))
