"""Each batch of decided commands records one `audit.commands.recorded` event (real PostgreSQL).

The batch processor runs directly on a transaction, as the consumer runs it; the last test
goes through the whole bus.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime
from typing import Any

import asyncpg
import pytest
from eventsourcing.domain import Aggregate
from pydantic import BaseModel, ConfigDict, SecretStr

from llmops_events.audit import CommandsAudited
from llmops_events.envelope import CommandEnvelope
from llmops_runtime.auth import AuthSettings, TokenVerifier
from llmops_runtime.auth.tokens import Actor
from llmops_runtime.commands import CommandRegistry, CommandRejected, HandlerContext
from llmops_runtime.commands.audit_events import AUDIT_WIRE_TYPE, CommandAudit, recorded_event
from llmops_runtime.commands.batch import BatchProcessor
from llmops_runtime.commands.errors import FORBIDDEN
from llmops_runtime.commands.headers import CORRELATION_ID, REPLY_TOPIC
from llmops_runtime.commands.intake import Incoming, read_record
from llmops_runtime.commands.tables import create_command_tables
from llmops_runtime.eventstore import (
    EventCodec,
    EventStore,
    StoredRecord,
    register_event_classes,
    verify_chain,
)

from .conftest import TEST_ISSUER, TEST_KEY, Bus, Counter, counter_registry, token

pytestmark = pytest.mark.stack

OPEN = "bus_test.open_counter"
CLOSE = "bus_test.close_counter"


class CloseCounter(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str
    counter_id: uuid.UUID


def registry() -> CommandRegistry:
    """The counter commands, and one that names its counter by id and is always refused."""
    commands = counter_registry()

    @commands.command(CLOSE, CloseCounter)
    async def close(cmd: CloseCounter, ctx: HandlerContext) -> Sequence[Aggregate]:
        raise CommandRejected("counter_not_closable", f"counter {cmd.counter_id} stays open")

    return commands


class Forbid:
    """An authorizer refusing everything."""

    async def authorize(self, actor: Actor, wire_type: str, payload: BaseModel) -> None:
        raise CommandRejected(FORBIDDEN, f"{actor.name} may not {wire_type}")

    async def authorize_read(self, actor: Actor) -> None:
        raise CommandRejected(FORBIDDEN, f"{actor.name} may not read")


class Harness:
    """A store, its command tables and a batch processor over them."""

    def __init__(self, pool: asyncpg.Pool, schema: str) -> None:
        self.pool = pool
        self.store = EventStore(pool, schema)
        self.registry = registry()
        verifier = TokenVerifier(
            AuthSettings(hs256_keys=[SecretStr(TEST_KEY)], issuers=[TEST_ISSUER])
        )
        self.processor = BatchProcessor("svc", self.store, verifier)

    def item(
        self, wire_type: str, payload: dict[str, Any], actor_token: str | None, command_id: str
    ) -> Incoming:
        envelope = CommandEnvelope(
            command_id=command_id,
            type=wire_type,
            issued_at=datetime.now(UTC),
            actor_token=actor_token,
            correlation_id=f"corr-{command_id}",
            payload=payload,
        )
        headers = [(REPLY_TOPIC, b"llmops.replies.audit-test"), (CORRELATION_ID, b"c-1")]
        return read_record(envelope.model_dump_json().encode(), headers, self.registry)

    async def run(self, items: list[Incoming], **kwargs: Any) -> None:
        async with self.pool.acquire() as conn, conn.transaction():
            await self.processor.process(conn, items, **kwargs)

    async def rows(self) -> list[asyncpg.Record]:
        return list(
            await self.pool.fetch(
                f"SELECT position, wire_type, stream_id, payload::text, metadata::text"
                f" FROM {self.store.schema}.events ORDER BY position"
            )
        )

    async def audits(self) -> list[CommandsAudited]:
        rows = [r for r in await self.rows() if r["wire_type"] == AUDIT_WIRE_TYPE]
        return [CommandsAudited.model_validate_json(r["payload"]) for r in rows]


@pytest.fixture
async def harness(database_url: str, unique_name: str) -> AsyncIterator[Harness]:
    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=3)
    running = Harness(pool, f"audit_{unique_name}")
    await running.store.create()
    async with pool.acquire() as conn:
        await create_command_tables(conn, running.store.schema)
    register_event_classes(Counter, CommandAudit)
    try:
        yield running
    finally:
        await pool.close()


def three_commands(h: Harness, closed: uuid.UUID) -> list[Incoming]:
    return [
        h.item(OPEN, {"name": "n1"}, token("xavier"), "cmd-accepted"),
        h.item(CLOSE, {"reason": "done", "counter_id": str(closed)}, token("xavier"), "cmd-rej"),
        h.item(OPEN, {"name": "n2"}, token("yves", key="x" * 48), "cmd-unauth"),
    ]


class TestOneAuditEventPerBatch:
    async def test_the_batch_appends_one_audit_event_last_in_the_same_chain(
        self, harness: Harness
    ) -> None:
        await harness.run(three_commands(harness, uuid.uuid4()))
        rows = await harness.rows()
        assert [r["wire_type"] for r in rows] == ["bus_test.counter.opened", AUDIT_WIRE_TYPE]
        [audit] = await harness.audits()
        assert audit.service == "svc"
        assert rows[-1]["stream_id"] == audit.batch_id
        assert [c.command_id for c in audit.commands] == ["cmd-accepted", "cmd-rej", "cmd-unauth"]
        assert json.loads(rows[-1]["metadata"]) == {}  # no command caused it
        assert await verify_chain(harness.pool, harness.store.schema) is None

    async def test_an_accepted_command_names_the_resource_of_its_first_event(
        self, harness: Harness
    ) -> None:
        await harness.run(three_commands(harness, uuid.uuid4()))
        [audit] = await harness.audits()
        accepted = audit.commands[0]
        assert (accepted.result, accepted.code, accepted.reason) == ("accepted", None, None)
        assert (accepted.actor_id, accepted.actor_verified) == ("xavier", True)
        assert accepted.action == OPEN
        assert accepted.resource_type == "counter"
        assert accepted.resource_id == str(Counter.create_id("n1"))
        assert accepted.events == ["bus_test.counter.opened"]
        assert accepted.correlation_id == "corr-cmd-accepted"

    async def test_a_rejected_command_names_the_payload_s_first_id_field(
        self, harness: Harness
    ) -> None:
        closed = uuid.uuid4()
        await harness.run(three_commands(harness, closed))
        rejected = (await harness.audits())[0].commands[1]
        assert (rejected.result, rejected.code) == ("rejected", "counter_not_closable")
        assert rejected.reason == f"counter {closed} stays open"
        assert (rejected.resource_type, rejected.resource_id) == ("counter", str(closed))
        assert (rejected.actor_id, rejected.actor_verified, rejected.events) == ("xavier", True, [])

    async def test_an_unauthenticated_command_is_audited_as_unauthorized(
        self, harness: Harness
    ) -> None:
        await harness.run(three_commands(harness, uuid.uuid4()))
        unauthenticated = (await harness.audits())[0].commands[2]
        assert (unauthenticated.result, unauthenticated.code) == ("unauthorized", "unauthenticated")
        assert (unauthenticated.actor_id, unauthenticated.actor_verified) == ("yves", False)
        # No UUID field in its payload, nothing recorded: no resource.
        assert (unauthenticated.resource_type, unauthenticated.resource_id) == (None, None)

    async def test_a_forbidden_command_is_audited_as_unauthorized(self, harness: Harness) -> None:
        harness.processor.authorizer = Forbid()
        closed = uuid.uuid4()
        await harness.run(three_commands(harness, closed)[1:2])
        [forbidden] = (await harness.audits())[0].commands
        assert (forbidden.result, forbidden.code) == ("unauthorized", "forbidden")
        assert (forbidden.actor_id, forbidden.actor_verified) == ("xavier", True)
        assert (forbidden.resource_type, forbidden.resource_id) == ("counter", str(closed))

    async def test_replayed_answers_add_no_audit_event(self, harness: Harness) -> None:
        items = three_commands(harness, uuid.uuid4())
        await harness.run(items)
        await harness.run(items[:1])  # the stored result answers: nothing decided
        assert len(await harness.audits()) == 1

    async def test_a_batch_decided_command_by_command_is_audited_too(
        self, harness: Harness
    ) -> None:
        await harness.run(three_commands(harness, uuid.uuid4()), isolate=True)
        audits = await harness.audits()
        # Isolated after a database error: each command in a savepoint, with its own audit.
        assert [[c.command_id for c in a.commands] for a in audits] == [
            ["cmd-accepted"],
            ["cmd-rej"],
            ["cmd-unauth"],
        ]
        assert await verify_chain(harness.pool, harness.store.schema) is None

    async def test_an_audit_too_large_for_one_record_is_split(self, harness: Harness) -> None:
        harness.store.max_event_bytes = 8_000
        items = [
            harness.item(CLOSE, {"reason": "r" * 900, "counter_id": str(uuid.uuid4())},
                         token("xavier"), f"cmd-{i}")
            for i in range(30)
        ]  # fmt: skip
        await harness.run(items)
        audits = await harness.audits()
        assert len(audits) > 1
        assert [c.command_id for a in audits for c in a.commands] == [f"cmd-{i}" for i in range(30)]


async def test_commands_over_the_bus_are_audited_as_events(bus: Bus) -> None:
    result = await bus.client.send(bus.service, OPEN, {"name": "via-bus"})
    refused = await bus.client.send(bus.service, OPEN, {"name": "x"}, actor_token="not.a.jwt")
    assert result.accepted and refused.code == "unauthenticated"
    audited = {c["command_id"]: c for c in await bus.audited()}
    assert audited[result.command_id]["result"] == "accepted"
    assert audited[refused.command_id]["result"] == "unauthorized"
    assert await bus.event_count() == 1


def test_the_audit_event_is_its_aggregate_s_event_as_the_codec_encodes_it() -> None:
    batch_id, entries = uuid.uuid4(), [{"command_id": "c", "result": "accepted"}]
    built = recorded_event("svc", batch_id, entries)
    codec = EventCodec()
    encoded = codec.encode(CommandAudit("svc", batch_id, entries).collect_events()[0])
    assert (built.stream_id, built.stream_version, built.wire_type) == (
        batch_id,
        1,
        AUDIT_WIRE_TYPE,
    )
    assert set(built.payload) == set(encoded.payload)
    assert {k: v for k, v in built.payload.items() if k != "timestamp"} == {
        k: v for k, v in encoded.payload.items() if k != "timestamp"
    }
    register_event_classes(CommandAudit)
    record = StoredRecord(
        1, built.event_id, batch_id, 1, AUDIT_WIRE_TYPE, 1, json.dumps(built.payload), "{}",
        datetime.now(UTC), b"", b"",
    )  # fmt: skip
    audit = codec.decode(record).mutate(None)  # type: ignore[attr-defined]
    assert isinstance(audit, CommandAudit)
    assert (audit.id, audit.service, audit.commands) == (batch_id, "svc", entries)


async def test_a_command_that_crashes_the_batch_is_audited_alone(
    bus: Bus, monkeypatch: pytest.MonkeyPatch
) -> None:
    consumer = bus.consumers[0][0]
    original = consumer.processor.process

    async def crashing(conn: asyncpg.Connection, items: list[Incoming], **kwargs: Any) -> Any:
        if any(i.command_id == "crash-me" for i in items):
            raise RuntimeError("a bug met by this record")
        return await original(conn, items, **kwargs)

    monkeypatch.setattr(consumer.processor, "process", crashing)
    result = await bus.client.send(bus.service, OPEN, {"name": "c"}, command_id="crash-me")
    assert result.code == "internal_error"
    entries = [c for c in await bus.audited() if c["command_id"] == "crash-me"]
    assert [(c["result"], c["code"]) for c in entries] == [("rejected", "internal_error")]
