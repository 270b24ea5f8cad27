"""DDL of a service's event store: the append-only, hash-chained `events` table."""

from __future__ import annotations

import asyncpg

from llmops_runtime.eventstore.sqlnames import checked_identifier

_DDL = """
CREATE SCHEMA IF NOT EXISTS {s};

CREATE TABLE IF NOT EXISTS {s}.events (
    position       bigint      PRIMARY KEY,
    event_id       uuid        NOT NULL UNIQUE,
    stream_id      uuid        NOT NULL,
    stream_version integer     NOT NULL CHECK (stream_version >= 1),
    wire_type      text        NOT NULL,
    schema_version integer     NOT NULL DEFAULT 1,
    payload        jsonb       NOT NULL,
    metadata       jsonb       NOT NULL DEFAULT '{{}}'::jsonb,
    committed_at   timestamptz NOT NULL,
    prev_hash      bytea       NOT NULL,
    hash           bytea       NOT NULL,
    UNIQUE (stream_id, stream_version)
);

CREATE INDEX IF NOT EXISTS events_committed_at ON {s}.events (stream_id, committed_at);

CREATE OR REPLACE FUNCTION {s}.events_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the event store is append-only: % refused on %.events', TG_OP, TG_TABLE_SCHEMA
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

DROP TRIGGER IF EXISTS events_append_only ON {s}.events;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON {s}.events
    FOR EACH ROW EXECUTE FUNCTION {s}.events_refuse_change();

DROP TRIGGER IF EXISTS events_no_truncate ON {s}.events;
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON {s}.events
    FOR EACH STATEMENT EXECUTE FUNCTION {s}.events_refuse_change();

CREATE TABLE IF NOT EXISTS {s}.relay_position (
    topic      text        PRIMARY KEY,
    position   bigint      NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
"""

# Applied by an operator so the service's runtime role can only read and append events.
APPLICATION_ROLE_GRANTS = """
GRANT USAGE ON SCHEMA {s} TO {role};
REVOKE ALL ON {s}.events FROM {role};
GRANT SELECT, INSERT ON {s}.events TO {role};
"""


async def create_event_store(conn: asyncpg.Connection, schema: str) -> None:
    """Create (idempotently) the schema, the events table, its triggers and relay_position."""
    s = checked_identifier(schema)
    # Concurrent CREATE ... IF NOT EXISTS can still collide in the catalog: serialize it.
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(hashtext('llmops-ddl:' || $1))", s)
        await conn.execute(_DDL.format(s=s))


async def grant_application_role(conn: asyncpg.Connection, schema: str, role: str) -> None:
    """Grant role only SELECT and INSERT on the events table of schema."""
    await conn.execute(
        APPLICATION_ROLE_GRANTS.format(s=checked_identifier(schema), role=checked_identifier(role))
    )
