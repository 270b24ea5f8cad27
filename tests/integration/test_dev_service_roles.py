"""`llmops dev up`'s steps: migrate as the owner, then give each service its own role's URL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import asyncpg
import pytest

from llmops_cli.db import dev_passwords, migrate_all
from llmops_cli.services import installed_definitions
from llmops_cli.supervisor import stack_environment
from llmops_devstack import StackInfo

pytestmark = pytest.mark.stack


@pytest.fixture
async def fresh_database(database_url: str, unique_name: str) -> AsyncIterator[str]:
    """An empty database on the session's server, dropped afterwards."""
    conn = await asyncpg.connect(database_url)
    await conn.execute(f'CREATE DATABASE "{unique_name}"')
    base = database_url.partition("?")[0].rpartition("/")[0]
    try:
        yield f"{base}/{unique_name}"
    finally:
        await conn.execute(f'DROP DATABASE "{unique_name}" WITH (FORCE)')
        await conn.close()


async def test_each_service_gets_a_url_for_its_own_role_without_ddl_rights(
    fresh_database: str, kafka_bootstrap: str
) -> None:
    names = sorted(installed_definitions())
    urls = await asyncio.to_thread(migrate_all, fresh_database, names, dev_passwords(names))
    info = StackInfo(bootstrap_servers=kafka_bootstrap, database_url=fresh_database, source="x")
    for port, name in enumerate(names, start=8101):
        env = stack_environment(info, name, port, urls[name])
        conn = await asyncpg.connect(env["DATABASE_URL"])
        try:
            assert await conn.fetchval("SELECT current_user") == f"llmops_{name}"
            assert (
                await conn.fetchval("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
                is False
            )
            await conn.fetchval(f"SELECT count(*) FROM {name}.events")
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await conn.execute(f"CREATE TABLE {name}.extra (id int)")
            other = next(n for n in names if n != name)
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await conn.fetchval(f"SELECT count(*) FROM {other}.events")
        finally:
            await conn.close()
