"""The host bounds database waits and prunes stored results and processed ids, on the real stack."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Sequence
from typing import ClassVar

import asyncpg
import pytest
from eventsourcing.domain import Aggregate, event
from fastapi import APIRouter
from pydantic import BaseModel

from llmops_runtime.auth import issue_token
from llmops_runtime.client import CommandClient
from llmops_runtime.commands import CommandRegistry, HandlerContext
from llmops_runtime.service import ServiceDefinition, ServiceHost, ServiceResources, settings_for

pytestmark = pytest.mark.stack

KEY = "bounded-test-signing-key-long-enough-for-hs256"
ISSUER = "llmops-bounded-tests"


class Memo(Aggregate):
    """A memo: the hosted test aggregate."""

    class Written(Aggregate.Created):
        wire_name: ClassVar[str] = "bounded_test.memo.written"
        memo_id: str

    @staticmethod
    def create_id(memo_id: str) -> uuid.UUID:
        return uuid.UUID(memo_id)

    @event(Written)
    def __init__(self, memo_id: str) -> None:
        self.memo_id = memo_id


class WriteMemo(BaseModel):
    """Write a memo."""

    WIRE_NAME: ClassVar[str] = "bounded_test.write_memo"
    memo_id: uuid.UUID


def build_commands(resources: ServiceResources) -> CommandRegistry:
    registry = CommandRegistry()

    @registry.command(WriteMemo.WIRE_NAME, WriteMemo)
    async def write(cmd: WriteMemo, ctx: HandlerContext) -> Sequence[Aggregate]:
        return [Memo(str(cmd.memo_id))]

    return registry


def build_routers(resources: ServiceResources) -> Sequence[APIRouter]:
    return []


@pytest.fixture
async def host(
    kafka_bootstrap: str, database_url: str, unique_name: str, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[ServiceHost]:
    monkeypatch.setenv("LLMOPS_AUTH_HS256_KEYS", json.dumps([KEY]))
    monkeypatch.setenv("LLMOPS_AUTH_ISSUERS", json.dumps([ISSUER]))
    monkeypatch.setenv("LLMOPS_COMMANDS_RESULT_RETENTION", "P1D")
    monkeypatch.setenv("LLMOPS_PROJECTION_PROCESSED_RETENTION", "P7D")
    monkeypatch.setenv("LLMOPS_PRUNE_INTERVAL_S", "0.2")
    definition = ServiceDefinition(
        name=unique_name,
        version="1.0.0",
        event_classes=[Memo],
        build_commands=build_commands,
        build_routers=build_routers,
        projections=[],
        command_contracts=[WriteMemo],
    )
    settings = settings_for(
        unique_name,
        database_url=database_url,
        kafka_bootstrap_servers=kafka_bootstrap,
        pool_command_timeout_s=0.5,
    )
    service = ServiceHost(definition, settings)
    await service.start()
    try:
        yield service
    finally:
        await service.stop()


async def test_a_statement_longer_than_the_pool_command_timeout_is_cut(host: ServiceHost) -> None:
    assert host.pool is not None
    with pytest.raises(asyncio.TimeoutError):
        await host.pool.fetchval("SELECT pg_sleep(5)")
    assert await host.pool.fetchval("SELECT 1") == 1  # the pool still serves


async def _until_zero(pool: asyncpg.Pool, sql: str, *args: object) -> None:
    """Wait (up to 20 s) until a count query answers 0."""
    for _ in range(200):
        if await pool.fetchval(sql, *args) == 0:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"still rows: {sql}")


async def _backdated(pool: asyncpg.Pool, schema: str) -> None:
    await pool.execute(
        f"INSERT INTO {schema}.command_results (command_id, result, recorded_at) VALUES"
        " ('old-command', '{}', now() - interval '2 days'),"
        " ('recent-command', '{}', now() - interval '2 hours')"
    )
    await pool.execute(
        f"INSERT INTO {schema}.projection_processed (projection, event_id, processed_at)"
        " VALUES ('p', $1, now() - interval '8 days'), ('p', $2, now() - interval '6 days')",
        uuid.UUID(int=1),
        uuid.UUID(int=2),
    )


async def test_old_results_and_processed_ids_are_pruned_and_a_resend_is_still_answered(
    host: ServiceHost, kafka_bootstrap: str
) -> None:
    pool, schema = host.pool, host.definition.schema
    assert pool is not None
    command_id = f"memo-{uuid.uuid4()}"
    memo = {"memo_id": str(uuid.uuid4())}
    name = host.definition.name
    async with CommandClient(kafka_bootstrap, actor_token=issue_token("ana", KEY, ISSUER)) as c:
        first = await c.send(name, WriteMemo.WIRE_NAME, memo, command_id=command_id, timeout=30)
        assert first.accepted, first
        await _backdated(pool, schema)
        await _until_zero(
            pool, f"SELECT count(*) FROM {schema}.command_results WHERE command_id = 'old-command'"
        )
        await _until_zero(
            pool,
            f"SELECT count(*) FROM {schema}.projection_processed WHERE event_id = $1",
            uuid.UUID(int=1),
        )
        kept = await pool.fetch(f"SELECT command_id FROM {schema}.command_results")
        assert {r[0] for r in kept} == {command_id, "recent-command"}
        processed = await pool.fetch(f"SELECT event_id FROM {schema}.projection_processed")
        assert [r[0] for r in processed] == [uuid.UUID(int=2)]
        # Re-sent within the window: the stored result answers, nothing is appended again.
        again = await c.send(name, WriteMemo.WIRE_NAME, memo, command_id=command_id, timeout=30)
    assert again.model_dump() == first.model_dump()
    assert await pool.fetchval(f"SELECT count(*) FROM {schema}.events") == 1
