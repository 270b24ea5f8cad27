"""The owner migrates; a service's own role can only read and append its audit tables."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest

from llmops_runtime.commands import CommandRegistry
from llmops_runtime.eventstore import EventStore
from llmops_runtime.operations import rebuild
from llmops_runtime.service import (
    SchemaNotMigrated,
    ServiceDefinition,
    ServiceHost,
    drop_service_role,
    migrate_services,
    service_role,
    settings_for,
)
from llmops_testing.sample import Tally, tally_projection

pytestmark = pytest.mark.stack

TALLIES = tally_projection(None)


def tally_service(name: str) -> ServiceDefinition:
    """A service with the sample aggregate and its store-fed projection."""
    return ServiceDefinition(
        name=name,
        version="1",
        http_port=0,
        event_classes=[Tally],
        build_commands=lambda resources: CommandRegistry(),
        build_routers=lambda resources: [],
        projections=[TALLIES],
    )


@pytest.fixture
async def migrated(database_url: str, unique_name: str) -> AsyncIterator[tuple[str, str]]:
    """A migrated service schema and the URL of the service's own role."""
    urls = await migrate_services(database_url, [tally_service(unique_name)])
    try:
        yield unique_name, urls[unique_name]
    finally:
        await drop_service_role(database_url, service_role(unique_name))


@pytest.fixture
async def as_service(migrated: tuple[str, str]) -> AsyncIterator[asyncpg.Connection]:
    """A connection as the service's role, holding one appended event and one audit row."""
    schema, url = migrated
    pool = await asyncpg.create_pool(url, min_size=1, max_size=2)
    try:
        await EventStore(pool, schema).save(Tally("t", uuid.uuid4()))
        async with pool.acquire() as conn:
            await conn.execute(
                f"INSERT INTO {schema}.command_audit (actor_verified, status) VALUES (true, 'ok')"
            )
            await conn.execute(f"INSERT INTO {schema}.command_results VALUES ('c1', '{{}}'::jsonb)")
            yield conn
    finally:
        await pool.close()


REFUSED = [
    "UPDATE {s}.events SET wire_type = 'x'",
    "DELETE FROM {s}.events",
    "TRUNCATE {s}.events",
    "UPDATE {s}.command_results SET result = '{{}}'::jsonb",
    # DELETE on command_results is granted: pruning removes results past their window.
    "TRUNCATE {s}.command_results",
    "UPDATE {s}.command_audit SET status = 'x'",
    "DELETE FROM {s}.command_audit",
    "TRUNCATE {s}.command_audit",
    "TRUNCATE {s}.tally_totals",
    "ALTER TABLE {s}.events DISABLE TRIGGER events_append_only",
    "ALTER TABLE {s}.command_audit DISABLE TRIGGER ALL",
    "DROP TRIGGER events_append_only ON {s}.events",
    "DROP TABLE {s}.events",
    "DROP TABLE {s}.tally_totals",
    "CREATE TABLE {s}.smuggled (id int)",
    "CREATE OR REPLACE FUNCTION {s}.events_refuse_change() RETURNS trigger"
    " LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
]


@pytest.mark.parametrize("statement", REFUSED)
async def test_the_service_role_cannot_change_history_or_the_schema(
    as_service: asyncpg.Connection, migrated: tuple[str, str], statement: str
) -> None:
    schema, _ = migrated
    sql = statement.format(s=schema)
    with pytest.raises(asyncpg.InsufficientPrivilegeError) as refused:
        await as_service.execute(sql)
    # Refused by the grants, not (only) by the append-only triggers.
    assert "permission denied" in str(refused.value) or "must be owner" in str(refused.value)
    assert await as_service.fetchval(f"SELECT count(*) FROM {schema}.events") == 1
    assert await as_service.fetchval(f"SELECT count(*) FROM {schema}.command_audit") == 1


async def test_the_service_role_reads_appends_and_keeps_its_read_model(
    as_service: asyncpg.Connection, migrated: tuple[str, str]
) -> None:
    schema, _ = migrated
    s = schema
    row = await as_service.fetchrow(f"SELECT wire_type, stream_version FROM {s}.events")
    assert row is not None and tuple(row) == ("runtime_sample.tally.opened", 1)
    tally_id = uuid.uuid4()
    await as_service.execute(
        f"INSERT INTO {s}.tally_totals VALUES ($1, 'n', 0, 0, now())", tally_id
    )
    await as_service.execute(f"UPDATE {s}.tally_totals SET total = 5 WHERE tally_id = $1", tally_id)
    await as_service.execute(f"DELETE FROM {s}.tally_totals WHERE tally_id = $1", tally_id)
    await as_service.execute(
        f"INSERT INTO {s}.projection_offsets VALUES ('tally_totals', 'store', 0, 1)"
    )
    await as_service.execute(f"UPDATE {s}.projection_offsets SET next_offset = 2")


async def test_a_host_on_an_unmigrated_schema_refuses_to_start_naming_the_migration(
    database_url: str, kafka_bootstrap: str, unique_name: str
) -> None:
    settings = settings_for(
        unique_name, database_url=database_url, kafka_bootstrap_servers=kafka_bootstrap
    )
    host = ServiceHost(tally_service(unique_name), settings)
    try:
        with pytest.raises(SchemaNotMigrated, match="llmops db migrate") as refused:
            await host.start()
    finally:
        await host.stop()
    assert "events" in str(refused.value) and "tally_totals" in str(refused.value)
    assert await _schema_exists(database_url, unique_name) is False


async def test_migrating_twice_changes_nothing_and_a_rebuild_keeps_the_role_writing(
    database_url: str, migrated: tuple[str, str]
) -> None:
    schema, url = migrated
    await migrate_services(database_url, [tally_service(schema)])
    await rebuild(database_url, schema, [TALLIES])
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(
            f"INSERT INTO {schema}.tally_totals VALUES ($1, 'n', 0, 0, now())", uuid.uuid4()
        )
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await conn.execute(f"DROP TABLE {schema}.tally_totals")
    finally:
        await conn.close()


async def _schema_exists(database_url: str, schema: str) -> bool:
    conn = await asyncpg.connect(database_url)
    try:
        return bool(
            await conn.fetchval(
                "SELECT true FROM information_schema.schemata WHERE schema_name = $1", schema
            )
        )
    finally:
        await conn.close()
