"""A service hosted by ServiceHost on the real stack: commands in, HTTP reads out."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Mapping, Sequence
from datetime import datetime
from typing import Any, ClassVar

import asyncpg
import httpx
import pytest
from aiokafka import AIOKafkaConsumer
from eventsourcing.domain import Aggregate, event
from fastapi import APIRouter, HTTPException
from pydantic import BaseModel

from llmops_runtime.auth import issue_token
from llmops_runtime.client import CommandClient
from llmops_runtime.commands import CommandRegistry, HandlerContext
from llmops_runtime.commands.audit_events import AUDIT_WIRE_TYPE
from llmops_runtime.projections import Projection, dispatch
from llmops_runtime.relay.checkpoints import Checkpoint, signature_holds
from llmops_runtime.service import (
    ServiceDefinition,
    ServiceHost,
    ServiceResources,
    drop_service_role,
    migrate_services,
    service_role,
    settings_for,
)
from llmops_testing.stack import read_client

pytestmark = pytest.mark.stack

KEY = "host-test-signing-key-long-enough-for-hs256"
ISSUER = "llmops-host-tests"
CHECKPOINT_KEY = "host-test-checkpoint-key-outside-the-database"


class Note(Aggregate):
    """A note with a text: the hosted test aggregate."""

    class Written(Aggregate.Created):
        wire_name: ClassVar[str] = "host_test.note.written"
        note_id: str
        text: str

    @staticmethod
    def create_id(note_id: str, text: str) -> uuid.UUID:
        return uuid.UUID(note_id)

    @event(Written)
    def __init__(self, note_id: str, text: str) -> None:
        self.text = text


class WriteNote(BaseModel):
    """Write a note."""

    WIRE_NAME: ClassVar[str] = "host_test.write_note"
    note_id: uuid.UUID
    text: str


def build_commands(resources: ServiceResources) -> CommandRegistry:
    registry = CommandRegistry()

    @registry.command(WriteNote.WIRE_NAME, WriteNote)
    async def write(cmd: WriteNote, ctx: HandlerContext) -> Sequence[Aggregate]:
        return [Note(str(cmd.note_id), cmd.text)]

    return registry


async def create_note_tables(conn: asyncpg.Connection, schema: str) -> None:
    await conn.execute(
        f"CREATE TABLE IF NOT EXISTS {schema}.notes (id uuid PRIMARY KEY, text text)"
    )


async def note_written(
    conn: asyncpg.Connection, schema: str, _: str, payload: Mapping[str, Any], __: datetime
) -> None:
    await conn.execute(
        f"INSERT INTO {schema}.notes VALUES ($1, $2)",
        uuid.UUID(payload["note_id"]),
        payload["text"],
    )


NOTES = Projection(
    "notes", None, create_note_tables, dispatch({"host_test.note.written": note_written}), None,
    ("notes",),
)  # fmt: skip


def build_routers(resources: ServiceResources) -> Sequence[APIRouter]:
    router = APIRouter()

    @router.get("/notes")
    async def listing() -> list[str]:
        rows = await resources.pool.fetch(f"SELECT text FROM {resources.schema}.notes")
        return [row["text"] for row in rows]

    @router.get("/notes/{note_id}")
    async def detail(note_id: uuid.UUID) -> dict[str, str]:
        note = await resources.store.load(note_id, aggregate_type=Note)
        if note is None:
            raise HTTPException(404, f"no note {note_id}")
        return {"text": note.text}

    return [router]


@pytest.fixture
async def host(
    kafka_bootstrap: str, database_url: str, unique_name: str, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[ServiceHost]:
    monkeypatch.setenv("LLMOPS_AUTH_HS256_KEYS", json.dumps([KEY]))
    monkeypatch.setenv("LLMOPS_AUTH_ISSUERS", json.dumps([ISSUER]))
    monkeypatch.setenv("LLMOPS_AUDIT_CHECKPOINT_KEY", CHECKPOINT_KEY)
    monkeypatch.setenv("LLMOPS_AUDIT_CHECKPOINT_EVERY_S", "0.2")
    definition = ServiceDefinition(
        name=unique_name,
        version="1.0.0",
        http_port=0,
        event_classes=[Note],
        build_commands=build_commands,
        build_routers=build_routers,
        projections=[NOTES],
        command_contracts=[WriteNote],
    )
    # The owner migrates; the host runs as the service's own role, without DDL rights.
    urls = await migrate_services(database_url, [definition])
    settings = settings_for(
        unique_name, database_url=urls[unique_name], kafka_bootstrap_servers=kafka_bootstrap
    )
    service = ServiceHost(definition, settings)
    await service.start()
    try:
        yield service
    finally:
        await service.stop()
        await drop_service_role(database_url, service_role(unique_name))


async def test_a_hosted_service_accepts_a_command_and_serves_the_result(
    host: ServiceHost, kafka_bootstrap: str
) -> None:
    note_id = uuid.uuid4()
    async with CommandClient(
        kafka_bootstrap, actor_token=issue_token("ana", KEY, ISSUER)
    ) as client:
        result = await client.send(
            host.definition.name,
            WriteNote.WIRE_NAME,
            {"note_id": str(note_id), "text": "hello"},
            timeout=30,
        )
    assert result.accepted, result
    async with read_client(host, issue_token("ana", KEY, ISSUER)) as http:
        assert (await http.get(f"/notes/{note_id}")).json() == {"text": "hello"}
        assert (await http.get(f"/notes/{uuid.uuid4()}")).status_code == 404
        ready = await http.get("/readyz")
        document = (await http.get("/asyncapi.json")).json()
    assert ready.status_code == 200
    assert ready.json()["checks"]["database"] is True
    assert any(c["address"].endswith(".commands") for c in document["channels"].values())


async def test_a_hosted_service_publishes_its_events_and_keeps_its_projection(
    host: ServiceHost, kafka_bootstrap: str
) -> None:
    note_id = uuid.uuid4()
    token = issue_token("ana", KEY, ISSUER)
    async with CommandClient(kafka_bootstrap, actor_token=token) as client:
        result = await client.send(
            host.definition.name,
            WriteNote.WIRE_NAME,
            {"note_id": str(note_id), "text": "published"},
            timeout=30,
        )
    assert result.accepted, result
    consumer = AIOKafkaConsumer(
        f"llmops.{host.definition.name}.events",
        bootstrap_servers=kafka_bootstrap,
        auto_offset_reset="earliest",
    )
    await consumer.start()
    try:
        # The batch's command audit event is published too, keyed by its own stream.
        record = await asyncio.wait_for(consumer.getone(), 20)
        while json.loads(record.value or b"{}")["wire_type"] == AUDIT_WIRE_TYPE:
            record = await asyncio.wait_for(consumer.getone(), 20)
    finally:
        await consumer.stop()
    assert record.key == str(note_id).encode()
    assert json.loads(record.value or b"{}")["payload"]["text"] == "published"
    async with read_client(host, token) as http:
        for _ in range(200):
            listed = (await http.get("/notes")).json()
            if listed:
                break
            await asyncio.sleep(0.1)
    assert listed == ["published"]


async def test_a_hosted_service_signs_checkpoints_of_its_published_head(
    host: ServiceHost, kafka_bootstrap: str
) -> None:
    async with CommandClient(kafka_bootstrap, actor_token=issue_token("ana", KEY, ISSUER)) as c:
        result = await c.send(
            host.definition.name,
            WriteNote.WIRE_NAME,
            {"note_id": str(uuid.uuid4()), "text": "anchored"},
            timeout=30,
        )
    assert result.accepted, result
    consumer = AIOKafkaConsumer(
        f"llmops.{host.definition.name}.audit-checkpoints",
        bootstrap_servers=kafka_bootstrap,
        auto_offset_reset="earliest",
    )
    await consumer.start()
    try:
        record = await asyncio.wait_for(consumer.getone(), 20)
    finally:
        await consumer.stop()
    checkpoint = Checkpoint.from_json(record.value or b"")
    # The note's event, then the batch's command audit event.
    assert (checkpoint.schema, checkpoint.position) == (host.definition.schema, 2)
    assert signature_holds(CHECKPOINT_KEY, checkpoint)


async def test_a_refused_command_is_on_the_audit_endpoint_with_actor_and_reason(
    host: ServiceHost, kafka_bootstrap: str
) -> None:
    forged = issue_token("mallory", "not-the-service-key-but-long-enough-for-hs256", ISSUER)
    async with CommandClient(kafka_bootstrap, actor_token=forged) as client:
        result = await client.send(
            host.definition.name,
            WriteNote.WIRE_NAME,
            {"note_id": str(uuid.uuid4()), "text": "forged"},
            timeout=30,
        )
    assert not result.accepted
    assert result.code == "unauthenticated"
    async with read_client(host, issue_token("ana", KEY, ISSUER)) as http:
        records = (await http.get("/audit", params={"code": "unauthenticated"})).json()["items"]
        assert (await http.get("/audit", params={"actor": "nobody"})).json() == {
            "items": [],
            "next_page_token": None,
        }
    assert len(records) == 1
    assert records[0]["actor"] == "mallory"
    assert records[0]["actor_verified"] is False
    assert records[0]["wire_type"] == WriteNote.WIRE_NAME
    assert records[0]["reason"]


async def test_reading_needs_a_verified_token_and_the_operations_routes_stay_open(
    host: ServiceHost,
) -> None:
    base = f"http://127.0.0.1:{host.http_port}"
    forged = issue_token("mallory", "not-the-service-key-but-long-enough-for-hs256", ISSUER)
    async with httpx.AsyncClient(base_url=base) as anonymous:
        for path in ("/notes", f"/notes/{uuid.uuid4()}", "/audit"):
            refused = await anonymous.get(path)
            assert refused.status_code == 401, path
            assert refused.headers["www-authenticate"] == "Bearer"
            assert "bearer token" in refused.json()["detail"]
        wrong = await anonymous.get("/notes", headers={"Authorization": f"Bearer {forged}"})
        assert wrong.status_code == 401 and "signature" in wrong.json()["detail"]
        basic = await anonymous.get("/notes", headers={"Authorization": "Basic YW5hOnB3"})
        assert basic.status_code == 401
        huge = await anonymous.get("/notes", headers={"Authorization": "Bearer " + "x" * 9000})
        assert huge.status_code == 401 and "too long" in huge.json()["detail"]
        for path in ("/healthz", "/readyz", "/metrics", "/asyncapi.json"):
            assert (await anonymous.get(path)).status_code == 200, path
    async with read_client(host, issue_token("ana", KEY, ISSUER)) as http:
        assert (await http.get("/notes")).status_code == 200
