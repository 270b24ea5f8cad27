"""The real PostgreSQL: asyncpg round trips and transaction isolation."""

from __future__ import annotations

import asyncpg
import pytest

pytestmark = pytest.mark.stack


async def test_a_row_written_with_asyncpg_reads_back(database_url: str, unique_name: str) -> None:
    connection = await asyncpg.connect(database_url)
    try:
        await connection.execute(f"CREATE TABLE {unique_name} (id int PRIMARY KEY, doc jsonb)")
        await connection.execute(
            f"INSERT INTO {unique_name} VALUES ($1, $2::jsonb)", 1, '{"name": "llama"}'
        )
        row = await connection.fetchrow(f"SELECT id, doc->>'name' AS name FROM {unique_name}")
    finally:
        await connection.close()
    assert row is not None
    assert (row["id"], row["name"]) == (1, "llama")


async def test_a_second_connection_sees_committed_rows_only(
    database_url: str, unique_name: str
) -> None:
    writer = await asyncpg.connect(database_url)
    reader = await asyncpg.connect(database_url)
    try:
        await writer.execute(f"CREATE TABLE {unique_name} (id int PRIMARY KEY)")
        transaction = writer.transaction()
        await transaction.start()
        await writer.execute(f"INSERT INTO {unique_name} VALUES (1)")
        assert await reader.fetchval(f"SELECT count(*) FROM {unique_name}") == 0
        await transaction.commit()
        assert await reader.fetchval(f"SELECT count(*) FROM {unique_name}") == 1
    finally:
        await writer.close()
        await reader.close()
