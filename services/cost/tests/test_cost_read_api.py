"""The cost read API serves the projection's rows through its views, on the real PostgreSQL."""

import uuid
from datetime import UTC, datetime

from cost_service.definition import SERVICE
from cost_service.projections import TABLES
from llmops_testing.read_api import read_api, walk_pages


async def test_items_are_listed_by_name_and_read_one_by_one(database_url: str) -> None:
    async with read_api(database_url, SERVICE, TABLES) as api:
        ids = [uuid.uuid4() for _ in range(3)]
        await api.pool.executemany(
            f"INSERT INTO {api.schema}.items VALUES ($1, $2, 'alice', $3)",
            [(i, f"item-{n}", datetime(2026, 1, 1, tzinfo=UTC)) for n, i in enumerate(ids)],
        )
        listed = await walk_pages(api.http, "/items", limit=2)
        assert [i["name"] for i in listed] == ["item-0", "item-1", "item-2"]
        assert (await api.http.get(f"/items/{ids[2]}")).json()["name"] == "item-2"
        assert (await api.http.get(f"/items/{uuid.uuid4()}")).status_code == 404
