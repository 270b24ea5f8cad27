"""The audit log (data model: AuditLog) as its projection writes it, in a real PostgreSQL.

One test per AuditLog field (id, actor_id, action, resource_type, resource_id, result,
metadata, timestamp) and for the rule "audit logs must be immutable; deletions prohibited".
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx
import pytest
from fastapi import FastAPI

from governance_service.api.audit_log import audit_log_router
from governance_service.audit_log_views import AuditLogViews
from governance_service.definition import SERVICE
from governance_service.projections.audit_log import (
    AUDIT_WIRE_TYPE,
    apply_audit_batch,
    audit_log_projection,
    audited_topics,
    create_audit_log,
    publishing_services,
)
from llmops_events.audit import AuditedCommand, CommandsAudited
from llmops_runtime.projections import create_tracking_tables, rebuild_projections
from llmops_runtime.relay import (
    EventEnvelope,
    ensure_topics,
    idempotent_producer,
    publish_envelopes,
)

AT = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
VERSION_ID = uuid.uuid4()
POLICY_ID = uuid.uuid4()


def envelope(
    wire_type: str, payload: dict[str, Any], metadata: dict[str, Any], position: int,
    stream_id: uuid.UUID | None = None, at: datetime = AT,
) -> EventEnvelope:  # fmt: skip
    return EventEnvelope(
        uuid.uuid4(), stream_id or uuid.uuid4(), 1, wire_type, 1, position, at, payload, metadata
    )


def command(result: str, seconds: int, **fields: Any) -> AuditedCommand:
    values: dict[str, Any] = {
        "command_id": f"cmd-{result}", "action": "catalog.register_model_version",
        "actor_id": "xena", "actor_verified": result != "unauthorized", "result": result,
        "code": None, "reason": None, "resource_type": None, "resource_id": None,
        "events": [], "correlation_id": f"corr-{result}", "at": AT + timedelta(seconds=seconds),
    }  # fmt: skip
    return AuditedCommand.model_validate(values | fields)


def audit_envelope(position: int = 10) -> EventEnvelope:
    audit = CommandsAudited(
        service="catalog",
        batch_id=uuid.uuid4(),
        commands=[
            command("accepted", 1, resource_type="model_version", resource_id=str(VERSION_ID),
                    events=["catalog.model_version.registered"]),
            command("rejected", 2, code="invalid_transition", reason="it is a draft",
                    resource_type="model_version", resource_id=str(VERSION_ID)),
            command("unauthorized", 3, code="unauthenticated", reason="token expired",
                    actor_id="mallory"),
        ],
    )  # fmt: skip
    return envelope(AUDIT_WIRE_TYPE, audit.model_dump(mode="json"), {}, position)


def history() -> list[EventEnvelope]:
    """A batch's events and audit, and a policy event the review clock recorded on its own."""
    commanded = envelope(
        "catalog.model_version.registered", {"model_version_id": str(VERSION_ID)},
        {"actor": "xena", "command_id": "cmd-accepted"}, 9, VERSION_ID,
    )  # fmt: skip
    uncommanded = envelope(
        "governance.policy.review_overdue", {"policy_id": str(POLICY_ID)},
        {"actor": "review-clock"}, 4, POLICY_ID, AT + timedelta(seconds=5),
    )  # fmt: skip
    return [commanded, audit_envelope(), uncommanded]


@pytest.fixture
async def conn(database_url: str, unique_name: str) -> AsyncIterator[asyncpg.Connection]:
    connection = await asyncpg.connect(database_url)
    await create_audit_log(connection, unique_name)
    try:
        yield connection
    finally:
        await connection.execute(f"DROP SCHEMA {unique_name} CASCADE")
        await connection.close()


@pytest.fixture
async def entries(conn: asyncpg.Connection, unique_name: str) -> dict[str, asyncpg.Record]:
    """The rows of history(), applied twice (redelivery), by result."""
    events = history()
    await apply_audit_batch(conn, unique_name, events)
    await apply_audit_batch(conn, unique_name, events)
    rows = await conn.fetch(f"SELECT * FROM {unique_name}.audit_log ORDER BY timestamp")
    assert len(rows) == 4, "one entry per audited command and per uncommanded event, once"
    return {r["result"]: r for r in rows}


class TestSources:
    def test_every_publishing_service_is_read_none_by_hand(self) -> None:
        services = publishing_services()
        assert {"catalog", "dataset", "governance", "prompt"} <= set(services)
        assert "audit" not in services
        assert audited_topics() == tuple(f"llmops.{s}.events" for s in services)

    def test_the_governance_service_declares_the_projection(self) -> None:
        [projection] = [p for p in SERVICE.projections if p.name == "audit_log"]
        assert projection.topics == audited_topics()


class TestAuditLogFields:
    async def test_id_is_derived_from_the_source_event_and_entry(self, entries, conn) -> None:
        assert len({r["id"] for r in entries.values()}) == 4
        assert all(isinstance(r["id"], uuid.UUID) for r in entries.values())

    async def test_actor_id_is_who_issued_the_command_or_recorded_the_event(self, entries) -> None:
        assert entries["accepted"]["actor_id"] == "xena"
        assert entries["unauthorized"]["actor_id"] == "mallory"
        assert entries["recorded"]["actor_id"] == "review-clock"

    async def test_action_is_the_command_type_or_the_uncommanded_event(self, entries) -> None:
        assert entries["rejected"]["action"] == "catalog.register_model_version"
        assert entries["recorded"]["action"] == "governance.policy.review_overdue"

    async def test_resource_type_names_the_aggregate(self, entries) -> None:
        assert entries["accepted"]["resource_type"] == "model_version"
        assert entries["unauthorized"]["resource_type"] is None
        assert entries["recorded"]["resource_type"] == "policy"

    async def test_resource_id_names_the_resource(self, entries) -> None:
        assert entries["accepted"]["resource_id"] == str(VERSION_ID)
        assert entries["rejected"]["resource_id"] == str(VERSION_ID)
        assert entries["recorded"]["resource_id"] == str(POLICY_ID)

    async def test_result_is_accepted_rejected_unauthorized_or_recorded(self, entries) -> None:
        assert set(entries) == {"accepted", "rejected", "unauthorized", "recorded"}

    async def test_metadata_names_service_command_code_reason_events_correlation(
        self, entries
    ) -> None:
        rejected = json.loads(entries["rejected"]["metadata"])
        assert rejected == {
            "service": "catalog", "command_id": "cmd-rejected", "code": "invalid_transition",
            "reason": "it is a draft", "events": [], "correlation_id": "corr-rejected",
            "actor_verified": True,
        }  # fmt: skip
        accepted = json.loads(entries["accepted"]["metadata"])
        assert accepted["events"] == ["catalog.model_version.registered"]
        recorded = json.loads(entries["recorded"]["metadata"])
        assert (recorded["service"], recorded["command_id"]) == ("governance", None)

    async def test_timestamp_is_when_the_command_was_decided_or_the_event_committed(
        self, entries
    ) -> None:
        assert entries["accepted"]["timestamp"] == AT + timedelta(seconds=1)
        assert entries["recorded"]["timestamp"] == AT + timedelta(seconds=5)


class TestImmutability:
    async def test_an_update_of_the_audit_log_is_refused(self, entries, conn, unique_name) -> None:
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="immutable"):
            await conn.execute(f"UPDATE {unique_name}.audit_log SET result = 'accepted'")

    async def test_a_deletion_from_the_audit_log_is_refused(
        self, entries, conn, unique_name
    ) -> None:
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="immutable"):
            await conn.execute(f"DELETE FROM {unique_name}.audit_log")

    async def test_truncating_the_audit_log_is_refused(self, entries, conn, unique_name) -> None:
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="immutable"):
            await conn.execute(f"TRUNCATE {unique_name}.audit_log")
        assert await conn.fetchval(f"SELECT count(*) FROM {unique_name}.audit_log") == 4


class TestReadApi:
    @pytest.fixture
    async def http(
        self, entries, database_url: str, unique_name: str
    ) -> AsyncIterator[httpx.AsyncClient]:
        pool = await asyncpg.create_pool(database_url, min_size=1, max_size=2)
        app = FastAPI()
        app.include_router(audit_log_router(AuditLogViews(pool, unique_name)))
        transport = httpx.ASGITransport(app=app)
        try:
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                yield client
        finally:
            await pool.close()

    async def test_entries_come_newest_first_in_pages(self, http) -> None:
        first = (await http.get("/audit-log", params={"limit": 3})).json()
        assert [e["result"] for e in first["items"]] == ["recorded", "unauthorized", "rejected"]
        token = first["next_page_token"]
        rest = (await http.get("/audit-log", params={"limit": 3, "page_token": token})).json()
        assert [e["result"] for e in rest["items"]] == ["accepted"]
        assert rest["next_page_token"] is None

    async def test_filters_combine(self, http) -> None:
        since = (AT + timedelta(seconds=2)).isoformat()
        found = await http.get("/audit-log", params={"actor_id": "xena", "since": since})
        assert [e["result"] for e in found.json()["items"]] == ["rejected"]
        by_resource = await http.get(
            "/audit-log", params={"resource_type": "model_version", "result": "accepted"}
        )
        assert [e["metadata"]["command_id"] for e in by_resource.json()["items"]] == [
            "cmd-accepted"
        ]
        by_service = await http.get("/audit-log", params={"service": "governance"})
        assert [e["action"] for e in by_service.json()["items"]] == [
            "governance.policy.review_overdue"
        ]
        until = (AT + timedelta(seconds=2)).isoformat()
        earlier = await http.get("/audit-log", params={"until": until})
        assert [e["result"] for e in earlier.json()["items"]] == ["accepted"]

    @pytest.mark.parametrize(
        "params",
        [
            {"limit": "1001"},
            {"result": "deleted"},
            {"since": "yesterday"},
            {"actor_id": "x" * 201},
            {"since": AT.isoformat(), "until": (AT - timedelta(hours=1)).isoformat()},
        ],
    )
    async def test_bad_filters_are_refused(self, http, params) -> None:
        assert (await http.get("/audit-log", params=params)).status_code == 422


def test_the_projection_reads_many_topics() -> None:
    projection = audit_log_projection(topics=("a", "b"))
    assert (projection.topic, projection.topics, projection.tables) == (
        None,
        ("a", "b"),
        ("audit_log",),
    )


async def test_a_rebuild_from_the_topics_keeps_the_log_and_its_immutability(
    database_url: str, kafka_bootstrap: str, unique_name: str
) -> None:
    topics = (f"llmops.{unique_name}a.events", f"llmops.{unique_name}b.events")
    await ensure_topics(kafka_bootstrap, list(topics), partitions=2)
    events = history()
    producer = idempotent_producer(kafka_bootstrap)
    await producer.start()
    try:
        await publish_envelopes(producer, topics[0], events[:2])
        await publish_envelopes(producer, topics[1], events[2:])
    finally:
        await producer.stop()
    projection = audit_log_projection(topics=topics)
    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=3)
    try:
        async with pool.acquire() as conn:
            await create_tracking_tables(conn, unique_name)
            await create_audit_log(conn, unique_name)
            await apply_audit_batch(conn, unique_name, events)
        live = await pool.fetch(f"SELECT * FROM {unique_name}.audit_log ORDER BY id")
        counts = await rebuild_projections(
            pool, unique_name, [projection], bootstrap=kafka_bootstrap
        )
        assert counts == {"audit_log": 3}
        assert await pool.fetch(f"SELECT * FROM {unique_name}.audit_log ORDER BY id") == live
        for statement in ("UPDATE {s}.audit_log SET actor_id = 'x'", "DELETE FROM {s}.audit_log"):
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await pool.execute(statement.format(s=unique_name))
    finally:
        await pool.execute(f"DROP SCHEMA IF EXISTS {unique_name} CASCADE")
        await pool.close()
