"""The prompt service's list endpoints are paginated, on the real PostgreSQL over HTTP."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from llmops_testing.read_api import read_api, walk_pages
from prompt_service.definition import SERVICE
from prompt_service.projections.tables import TABLES


async def test_template_pages_return_every_row_once_by_name_and_creation(
    database_url: str,
) -> None:
    async with read_api(database_url, SERVICE, TABLES) as api:
        base = datetime(2026, 1, 1, tzinfo=UTC)
        await api.pool.executemany(
            f"INSERT INTO {api.schema}.prompt_templates (prompt_template_id, name, version,"
            " language, content, context_tags, status, registered_by, created_at, updated_at)"
            " VALUES ($1, $2, $3, 'en', 'hi', '[]', 'draft', 'pia', $4, $4)",
            [
                (uuid.uuid4(), f"p{i % 2}", f"{i}", base + timedelta(seconds=i // 4))
                for i in range(17)
            ],
        )
        http = api.http
        everything = (await http.get("/prompt-templates", params={"limit": 1000})).json()
        walked = await walk_pages(http, "/prompt-templates", limit=3)
        assert walked == everything["items"]
        assert sorted(int(t["version"]) for t in walked) == list(range(17))
        keys = [(t["name"], t["created_at"], t["prompt_template_id"]) for t in walked]
        assert keys == sorted(keys)
        for path in ("/prompt-labels", "/prompt-experiments"):
            assert (await http.get(path, params={"limit": 1001})).status_code == 422
            assert (await http.get(path)).json() == {"items": [], "next_page_token": None}
        one = await http.get(f"/prompt-templates/{walked[0]['prompt_template_id']}")
        assert one.json() == walked[0]
        for path in ("/prompt-templates", "/prompt-experiments"):
            assert (await http.get(f"{path}/{uuid.uuid4()}")).status_code == 404
            assert (await http.get(f"{path}/{uuid.uuid4()}/history")).status_code == 404
