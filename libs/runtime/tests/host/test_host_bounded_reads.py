"""The host bounds database waits and prunes stored results and processed ids, on the real stack."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest

from llmops_runtime.client import CommandClient
from llmops_runtime.commands.audit_events import AUDIT_WIRE_TYPE
from llmops_runtime.service import (
    ServiceHost,
)

from .memo_service import WriteMemo, memo_token, migrated_memo_host, use_memo_tokens

pytestmark = pytest.mark.stack


@pytest.fixture
async def host(
    kafka_bootstrap: str, database_url: str, unique_name: str, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[ServiceHost]:
    use_memo_tokens(monkeypatch)
    monkeypatch.setenv("LLMOPS_COMMANDS_RESULT_RETENTION", "P1D")
    monkeypatch.setenv("LLMOPS_PROJECTION_PROCESSED_RETENTION", "P7D")
    monkeypatch.setenv("LLMOPS_PRUNE_INTERVAL_S", "0.2")
    service = await migrated_memo_host(
        unique_name, database_url, kafka_bootstrap, pool_command_timeout_s=0.5
    )
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
    memo = {"text": f"memo {uuid.uuid4()}"}
    name = host.definition.name
    async with CommandClient(kafka_bootstrap, actor_token=memo_token()) as c:
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
    domain = f"SELECT count(*) FROM {schema}.events WHERE wire_type <> $1"
    assert await pool.fetchval(domain, AUDIT_WIRE_TYPE) == 1
