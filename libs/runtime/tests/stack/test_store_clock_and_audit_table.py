"""committed_at never goes backwards; the command audit refuses TRUNCATE like the event store."""

from __future__ import annotations

import uuid

import asyncpg
import pytest

from llmops_runtime.commands.tables import create_command_tables
from llmops_runtime.eventstore import EventStore
from llmops_testing.sample import Tally

pytestmark = pytest.mark.stack


async def test_committed_at_never_goes_backwards_when_the_clock_does(
    store: EventStore, pool: asyncpg.Pool
) -> None:
    await store.save(Tally("first", uuid.uuid4()))
    s = store.schema
    # The last row committed "in an hour": what a clock stepped back since then looks like.
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute(f"ALTER TABLE {s}.events DISABLE TRIGGER USER")
        await conn.execute(f"UPDATE {s}.events SET committed_at = now() + interval '1 hour'")
        await conn.execute(f"ALTER TABLE {s}.events ENABLE TRIGGER USER")
    ahead = await pool.fetchval(f"SELECT committed_at FROM {s}.events WHERE position = 1")
    await store.save(Tally("second", uuid.uuid4()))
    after = await pool.fetchval(f"SELECT committed_at FROM {s}.events WHERE position = 2")
    assert after >= ahead


async def test_the_command_audit_refuses_truncate(pool: asyncpg.Pool, schema: str) -> None:
    async with pool.acquire() as conn:
        await create_command_tables(conn, schema)
        await conn.execute(
            f"INSERT INTO {schema}.command_audit (actor_verified, status) VALUES (true, 'ok')"
        )
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="append-only"):
            await conn.execute(f"TRUNCATE {schema}.command_audit")
        assert await conn.fetchval(f"SELECT count(*) FROM {schema}.command_audit") == 1
