"""One active instance per role across processes, by a PostgreSQL session advisory lock."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
from prometheus_client import Gauge

# Which instance leads a role is what an operator asks first when several run: /metrics says.
LEADING = Gauge(
    "llmops_leading",
    "1 while this process holds the role (its relay or a projection runner), else 0.",
    ["role"],
)


async def wait_for_leadership(conn: asyncpg.Connection, key: str, retry_s: float) -> None:
    """Return once conn holds the session lock for key; it is held until conn is released."""
    while True:
        if await conn.fetchval("SELECT pg_try_advisory_lock(hashtext($1))", key):
            return
        # Standby: the leader's session ending (crash or stop) frees the lock.
        await asyncio.sleep(retry_s)


@asynccontextmanager
async def leadership(conn: asyncpg.Connection, key: str, retry_s: float) -> AsyncIterator[None]:
    """Lead the role `key` for the body's duration, shown as `llmops_leading{role=key}` 1."""
    await wait_for_leadership(conn, key, retry_s)
    LEADING.labels(key).set(1)
    try:
        yield
    finally:
        LEADING.labels(key).set(0)
