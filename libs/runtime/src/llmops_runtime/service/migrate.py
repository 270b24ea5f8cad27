"""`migrate_service`: a service's DDL run once by the owner role, and its least-privilege role.

Services never run DDL: the host only checks that the migration ran (`check_migrated`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import asyncpg

from llmops_runtime.commands.tables import create_command_tables
from llmops_runtime.eventstore.schema import create_event_store
from llmops_runtime.eventstore.sqlnames import checked_identifier
from llmops_runtime.projections.tracking import create_tracking_tables
from llmops_runtime.pruning import ensure_pruning_indexes
from llmops_runtime.service.definition import ServiceDefinition

# Read and append only: no UPDATE, DELETE or TRUNCATE, even by mistake in service code.
APPEND_ONLY_TABLES = ("events", "command_results", "command_audit")
# What every migrated schema holds besides the projections' own tables.
RUNTIME_TABLES = (
    *APPEND_ONLY_TABLES,
    "relay_position",
    "projection_offsets",
    "projection_processed",
    "projection_dead_letters",
)


class SchemaNotMigrated(RuntimeError):
    """The service's tables are missing: the owner must run `llmops db migrate` first."""


def service_role(service: str) -> str:
    """The login role a service runs as: `llmops_<service>`."""
    return checked_identifier(f"llmops_{service}")


async def create_service_tables(
    conn: asyncpg.Connection, schema: str, projections: Sequence[Any] = ()
) -> None:
    """Everything a service host uses: event store, command, tracking and read-model tables."""
    s = checked_identifier(schema)
    await create_event_store(conn, s)
    await create_command_tables(conn, s)
    async with conn.transaction():
        # Concurrent CREATE ... IF NOT EXISTS can still collide in the catalog: serialize it.
        await conn.execute("SELECT pg_advisory_xact_lock(hashtext('llmops-ddl:' || $1))", s)
        await create_tracking_tables(conn, s)
        await ensure_pruning_indexes(conn, s)
        for projection in projections:
            await projection.create_tables(conn, s)


async def grant_service_role(
    conn: asyncpg.Connection, schema: str, role: str, password: str | None = None
) -> None:
    """Create or update the login role and grant it exactly the DML it needs in schema.

    Read-model and tracking tables: SELECT, INSERT, UPDATE, DELETE (projections upsert and a
    runner moves its offsets); events and audit: SELECT, INSERT only; command results: SELECT,
    INSERT and DELETE (pruning past the retention window). No
    CREATE on the schema, so the role can neither add, alter nor drop tables or triggers.
    """
    s, r = checked_identifier(schema), checked_identifier(role)
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(hashtext('llmops-role:' || $1))", r)
        exists = await conn.fetchval("SELECT true FROM pg_roles WHERE rolname = $1", r)
        if not exists:
            # Roles are cluster-wide but the advisory lock is per database: another database's
            # migration may create the role at the same moment.
            with contextlib.suppress(asyncpg.DuplicateObjectError):
                async with conn.transaction():
                    await conn.execute(f"CREATE ROLE {r} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE")
        if password is not None:
            # DDL takes no bind parameters: quote the literal with the server's own function.
            literal = await conn.fetchval("SELECT quote_literal($1)", password)
            await conn.execute(f"ALTER ROLE {r} LOGIN PASSWORD {literal}")
        await conn.execute(
            f"REVOKE ALL ON SCHEMA {s} FROM {r};"
            f" GRANT USAGE ON SCHEMA {s} TO {r};"
            f" REVOKE ALL ON ALL TABLES IN SCHEMA {s} FROM {r};"
            f" GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {s} TO {r};"
            f" GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {r};"
        )
        for table in APPEND_ONLY_TABLES:
            await conn.execute(f"REVOKE UPDATE, DELETE ON {s}.{table} FROM {r}")
        # Stored results past their retention window are pruned (llmops_runtime.pruning):
        # deleted, never changed. The audit log and the event store stay append-only.
        await conn.execute(f"GRANT DELETE ON {s}.command_results TO {r}")


async def regrant_service_role(conn: asyncpg.Connection, schema: str) -> bool:
    """Re-grant `llmops_<schema>` on the schema's tables (new after a rebuild), if it exists."""
    role = service_role(schema)
    if not await conn.fetchval("SELECT true FROM pg_roles WHERE rolname = $1", role):
        return False
    await grant_service_role(conn, schema, role)
    return True


async def drop_service_role(database_url: str, role: str) -> None:
    """Remove a role and its grants in this database (a retired service, a test's role)."""
    r = checked_identifier(role)
    conn = await asyncpg.connect(database_url)
    try:
        if await conn.fetchval("SELECT true FROM pg_roles WHERE rolname = $1", r):
            await conn.execute(f"DROP OWNED BY {r}; DROP ROLE {r}")
    finally:
        await conn.close()


async def migrate_service(
    conn: asyncpg.Connection,
    schema: str,
    projections: Sequence[Any] = (),
    *,
    role: str | None = None,
    password: str | None = None,
) -> None:
    """Create a service's tables as the connected (owner) role, then grant role if given."""
    await create_service_tables(conn, schema, projections)
    if role is not None:
        await grant_service_role(conn, schema, role, password)


async def missing_tables(
    conn: asyncpg.Connection, schema: str, projections: Sequence[Any] = ()
) -> list[str]:
    """The tables a host needs that do not exist (or are invisible to the connected role)."""
    s = checked_identifier(schema)
    tables = [*RUNTIME_TABLES]
    for projection in projections:
        tables.extend(t for t in getattr(projection, "tables", ()) if t not in tables)
    found = await conn.fetch(
        "SELECT t FROM unnest($1::text[]) AS t WHERE to_regclass($2 || '.' || t) IS NULL",
        tables,
        s,
    )
    return [r[0] for r in found]


async def check_migrated(
    conn: asyncpg.Connection, schema: str, projections: Sequence[Any] = ()
) -> None:
    """Raise SchemaNotMigrated naming the missing tables, so a host refuses to start."""
    missing = await missing_tables(conn, schema, projections)
    if missing:
        raise SchemaNotMigrated(
            f"schema {schema} is missing tables {missing}:"
            f" run `llmops db migrate --service {schema}` with the owner DATABASE_URL first"
        )


async def migrate_definition(
    conn: asyncpg.Connection, definition: ServiceDefinition, password: str | None = None
) -> None:
    """Migrate one service's schema and grant its role `llmops_<name>` (login if password)."""
    await migrate_service(
        conn,
        definition.schema,
        definition.projections,
        role=service_role(definition.name),
        password=password,
    )


def role_url(database_url: str, role: str, password: str | None) -> str:
    """database_url with the user (and password) replaced by role's."""
    parts = urlsplit(database_url)
    host = parts.netloc.rsplit("@", 1)[-1]
    user = quote(role, safe="")
    if password is not None:
        user += ":" + quote(password, safe="")
    return urlunsplit(parts._replace(netloc=f"{user}@{host}"))


async def migrate_services(
    database_url: str,
    definitions: Sequence[ServiceDefinition],
    passwords: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Migrate each service as the owner at database_url; return each service's own URL."""
    passwords = passwords or {}
    urls: dict[str, str] = {}
    conn = await asyncpg.connect(database_url)
    try:
        for definition in definitions:
            password = passwords.get(definition.name)
            await migrate_definition(conn, definition, password)
            urls[definition.name] = role_url(database_url, service_role(definition.name), password)
    finally:
        await conn.close()
    return urls
