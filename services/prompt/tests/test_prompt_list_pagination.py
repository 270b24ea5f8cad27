"""The prompt service's list endpoints are paginated, on the real PostgreSQL over HTTP."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx

from llmops_runtime.eventstore import EventStore
from llmops_runtime.http import create_service_app
from llmops_runtime.service import ServiceResources
from prompt_service.bootstrap import WIRING
from prompt_service.projections.tables import TABLES


async def _ready() -> dict[str, bool]:
    return {}


async def _walk(http: httpx.AsyncClient, path: str, limit: int) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    token = None
    while True:
        params: dict[str, Any] = {"limit": limit, **({"page_token": token} if token else {})}
        response = await http.get(path, params=params)
        assert response.status_code == 200, response.text
        items += response.json()["items"]
        token = response.json()["next_page_token"]
        if token is None:
            return items


async def test_template_pages_return_every_row_once_by_name_and_creation(
    database_url: str,
) -> None:
    schema = f"pr_{uuid.uuid4().hex[:10]}"
    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=4)
    try:
        store = EventStore(pool, schema)
        await store.create()
        async with pool.acquire() as conn:
            await TABLES.create_all(conn, schema)
        base = datetime(2026, 1, 1, tzinfo=UTC)
        await pool.executemany(
            f"INSERT INTO {schema}.prompt_templates (prompt_template_id, name, version,"
            " language, content, context_tags, status, registered_by, created_at, updated_at)"
            " VALUES ($1, $2, $3, 'en', 'hi', '[]', 'draft', 'pia', $4, $4)",
            [
                (uuid.uuid4(), f"p{i % 2}", f"{i}", base + timedelta(seconds=i // 4))
                for i in range(17)
            ],
        )
        app = create_service_app(
            "prompt",
            readiness=_ready,
            routers=WIRING.build_routers(ServiceResources("prompt", schema, pool, store)),
        )
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://prompt") as http:
            everything = (await http.get("/prompt-templates", params={"limit": 1000})).json()
            walked = await _walk(http, "/prompt-templates", 3)
            assert walked == everything["items"]
            assert sorted(int(t["version"]) for t in walked) == list(range(17))
            keys = [(t["name"], t["created_at"], t["prompt_template_id"]) for t in walked]
            assert keys == sorted(keys)
            for path in ("/prompt-labels", "/prompt-experiments"):
                assert (await http.get(path, params={"limit": 1001})).status_code == 422
                assert (await http.get(path)).json() == {"items": [], "next_page_token": None}
    finally:
        await pool.close()
