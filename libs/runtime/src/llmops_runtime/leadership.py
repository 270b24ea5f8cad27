"""One active instance per role across processes, by a PostgreSQL session advisory lock."""

from __future__ import annotations

import asyncio

import asyncpg


async def wait_for_leadership(conn: asyncpg.Connection, key: str, retry_s: float) -> None:
    """Return once conn holds the session lock for key; it is held until conn is released."""
    while True:
        if await conn.fetchval("SELECT pg_try_advisory_lock(hashtext($1))", key):
            return
        # Standby: the leader's session ending (crash or stop) frees the lock.
        await asyncio.sleep(retry_s)
