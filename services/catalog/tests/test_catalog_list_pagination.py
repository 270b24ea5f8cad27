"""The catalog's list endpoints are paginated, on the real PostgreSQL over HTTP."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx
import pytest

from catalog_service.bootstrap import WIRING
from catalog_service.projections.tables import TABLES
from llmops_runtime.eventstore import EventStore
from llmops_runtime.http import create_service_app
from llmops_runtime.service import ServiceResources


async def _ready() -> dict[str, bool]:
    return {}


@pytest.fixture
async def catalog(database_url: str) -> AsyncIterator[tuple[asyncpg.Pool, str, httpx.AsyncClient]]:
    """The catalog's routers over a fresh schema with its read models."""
    schema = f"cat_{uuid.uuid4().hex[:10]}"
    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=4)
    try:
        store = EventStore(pool, schema)
        await store.create()
        async with pool.acquire() as conn:
            await TABLES.create_all(conn, schema)
        resources = ServiceResources("catalog", schema, pool, store)
        app = create_service_app(
            "catalog", readiness=_ready, routers=WIRING.build_routers(resources)
        )
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://catalog") as http:
            yield pool, schema, http
    finally:
        await pool.close()


async def _versions(pool: asyncpg.Pool, schema: str, count: int) -> None:
    # Three versions share each creation time: the id must break ties between pages.
    base = datetime(2026, 1, 1, tzinfo=UTC)
    await pool.executemany(
        f"INSERT INTO {schema}.model_versions (model_version_id, name, version, type, status,"
        " owner_team, metadata, lineage_dataset_ids, registered_by, created_at, updated_at)"
        " VALUES ($1, 'bot', $2, 'fine-tuned', $3, 'ml', '{}', '[]', 'ana', $4, $4)",
        [
            (
                uuid.uuid4(),
                f"1.{i}",
                "draft" if i % 2 else "approved",
                base + timedelta(seconds=i // 3),
            )
            for i in range(count)
        ],
    )


async def _walk(http: httpx.AsyncClient, path: str, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    token = None
    while True:
        page = {**params, **({"page_token": token} if token else {})}
        response = await http.get(path, params=page)
        assert response.status_code == 200, response.text
        body = response.json()
        items += body["items"]
        token = body["next_page_token"]
        if token is None:
            return items


async def test_model_version_pages_return_every_row_once_newest_first(
    catalog: tuple[asyncpg.Pool, str, httpx.AsyncClient],
) -> None:
    pool, schema, http = catalog
    await _versions(pool, schema, 31)
    everything = (await http.get("/model-versions", params={"limit": 1000})).json()
    assert everything["next_page_token"] is None
    walked = await _walk(http, "/model-versions", limit=4)
    assert walked == everything["items"]
    assert len({v["model_version_id"] for v in walked}) == 31
    keys = [(v["created_at"], v["model_version_id"]) for v in walked]
    assert keys == sorted(keys, reverse=True)
    drafts = await _walk(http, "/model-versions", status="draft", limit=5)
    assert [v["version"] for v in drafts] == [
        v["version"] for v in everything["items"] if v["status"] == "draft"
    ]


async def test_catalog_lists_refuse_bad_limits_and_tokens(
    catalog: tuple[asyncpg.Pool, str, httpx.AsyncClient],
) -> None:
    pool, schema, http = catalog
    await _versions(pool, schema, 3)
    token = (await http.get("/model-versions", params={"limit": 1})).json()["next_page_token"]
    for path in (
        "/model-versions",
        "/model-aliases",
        "/known-dataset-versions",
        "/evaluation-runs",
    ):
        assert (await http.get(path, params={"limit": 1001})).status_code == 422, path
        assert (await http.get(path)).json().keys() == {"items", "next_page_token"}
    foreign = await http.get("/model-aliases", params={"page_token": token})
    assert foreign.status_code == 422
    assert "page_token" in json.dumps(foreign.json())
    tampered = await http.get("/model-versions", params={"limit": 1, "page_token": token[::-1]})
    assert tampered.status_code == 422
