"""`llmops db migrate`: the owner creates the tables; the service's role cannot alter them."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import AsyncIterator

import asyncpg
import pytest

from llmops_runtime.service import role_url

pytestmark = pytest.mark.stack


def llmops(database: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database, "LLMOPS_CATALOG_DB_PASSWORD": "catalog-pw"}
    return subprocess.run(
        [sys.executable, "-m", "llmops_cli.main", *args],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


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


async def test_migrate_creates_the_schema_once_and_the_role_only_appends(
    fresh_database: str,
) -> None:
    first = llmops(fresh_database, "db", "migrate", "--service", "catalog")
    assert first.returncode == 0, first.stderr
    assert "catalog: migrated; the service runs as role llmops_catalog" in first.stdout
    again = llmops(fresh_database, "db", "migrate", "--service", "catalog")
    assert again.returncode == 0, again.stderr

    conn = await asyncpg.connect(role_url(fresh_database, "llmops_catalog", "catalog-pw"))
    try:
        tables = {
            r[0]
            for r in await conn.fetch(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'catalog'"
            )
        }
        assert {"events", "command_results", "command_audit", "model_versions"} <= tables
        await conn.execute(
            "INSERT INTO catalog.command_audit (actor_verified, status) VALUES (false, 'refused')"
        )
        for statement in (
            "DELETE FROM catalog.command_audit",
            "TRUNCATE catalog.events",
            "ALTER TABLE catalog.events DISABLE TRIGGER USER",
            "DROP TABLE catalog.model_versions",
        ):
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await conn.execute(statement)
        assert await conn.fetchval("SELECT count(*) FROM catalog.command_audit") == 1
    finally:
        await conn.close()


def test_migrating_an_unknown_service_names_the_installed_ones(fresh_database: str) -> None:
    refused = llmops(fresh_database, "db", "migrate", "--service", "nope")
    assert refused.returncode == 2
    assert "unknown service 'nope'" in refused.stderr and "catalog" in refused.stderr
