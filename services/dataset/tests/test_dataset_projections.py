"""The dataset read model as its typed projector writes it, in a real PostgreSQL."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import pytest

from dataset_service.bootstrap import WIRING
from dataset_service.projections import projections
from llmops_events import dataset as contracts
from llmops_runtime.eventstore import EventStore
from llmops_runtime.relay.envelope import EventEnvelope
from llmops_runtime.service import ServiceResources

AT = datetime(2026, 11, 26, 6, 0, tzinfo=UTC)


def envelope(event: Any, position: int) -> EventEnvelope:
    """The event as the store hands it to a projection, with a library field left in."""
    payload = event.model_dump(mode="json") | {"timestamp": AT.isoformat()}
    return EventEnvelope(
        uuid4(), uuid4(), position, event.WIRE_NAME, 1, position, AT, payload, {}
    )  # fmt: skip


def registration(version_id: UUID) -> contracts.DatasetVersionRegistered:
    """A first version's registration."""
    return contracts.DatasetVersionRegistered(
        dataset_version_id=version_id, name="tickets", version="v1", storage_uri="s3://d/v1",
        owner_team="ml", change_log="first", previous_version=None, previous_version_id=None,
        diff_summary=None, registered_by="dana",
    )  # fmt: skip


@pytest.fixture
async def conn(database_url: str, unique_name: str) -> AsyncIterator[asyncpg.Connection]:
    """A connection with the read model's tables created in a fresh schema."""
    connection = await asyncpg.connect(database_url)
    await projections()[0].create_tables(connection, unique_name)
    yield connection
    await connection.execute(f"DROP SCHEMA {unique_name} CASCADE")
    await connection.close()


async def test_a_registered_then_scanned_version_is_one_row_with_its_columns(
    conn: asyncpg.Connection, unique_name: str
) -> None:
    version_id = uuid4()
    registered = registration(version_id)
    scanned = contracts.DatasetVersionPiiScanRecorded(
        dataset_version_id=version_id, pii_scan_status="clean", notes="0", recorded_by="bot"
    )
    envelopes = [envelope(registered, 1), envelope(registered, 2), envelope(scanned, 3)]
    await projections()[0].apply_batch(conn, unique_name, envelopes)  # type: ignore[misc]
    row = await conn.fetchrow(f"SELECT * FROM {unique_name}.dataset_versions")
    assert row is not None
    assert (row["name"], row["version"], row["pii_scan_status"]) == ("tickets", "v1", "clean")
    assert (row["registered_seq"], row["registered_by"], row["created_at"]) == (0, "dana", AT)
    # The redelivered registration left one row.
    assert await conn.fetchval(f"SELECT count(*) FROM {unique_name}.dataset_versions") == 1


async def test_a_payload_breaking_its_contract_is_refused(
    conn: asyncpg.Connection, unique_name: str
) -> None:
    bad = EventEnvelope(
        uuid4(), uuid4(), 1, contracts.DatasetVersionRegistered.WIRE_NAME, 1, 1, AT,
        {"name": "tickets"}, {},
    )  # fmt: skip
    with pytest.raises(ValueError, match="dataset_version_id"):
        await projections()[0].apply_batch(conn, unique_name, [bad])  # type: ignore[misc]
    assert await conn.fetchval(f"SELECT count(*) FROM {unique_name}.dataset_versions") == 0


async def test_views_read_what_the_projector_wrote_and_bootstrap_builds_them_once(
    conn: asyncpg.Connection, unique_name: str, database_url: str
) -> None:
    version_id = uuid4()
    registered = registration(version_id)
    await projections()[0].apply_batch(conn, unique_name, [envelope(registered, 1)])  # type: ignore[misc]
    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=2)
    try:
        resources = ServiceResources("dataset", unique_name, pool, EventStore(pool, unique_name))
        app = WIRING.bootstrap(resources)
        # Built once: the handlers and routers the host asks for come from this one.
        assert WIRING.bootstrap(resources) is app
        assert WIRING.build_commands(resources) is app.commands
        [row] = await app.reads.versions.all("tickets", None, None, None)
        assert row["dataset_version_id"] == version_id
        assert await app.reads.versions.all("other", None, None, None) == []
        found = await app.reads.versions.one(version_id)
        assert found is not None and found["pii_scan_status"] == "pending"
        assert await app.reads.versions.one(uuid4()) is None
    finally:
        await pool.close()
