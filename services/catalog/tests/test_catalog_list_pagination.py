"""The catalog's list endpoints are paginated, on the real PostgreSQL over HTTP."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import asyncpg
import httpx
import pytest

from catalog_service.definition import SERVICE
from catalog_service.projections.tables import TABLES
from llmops_testing.read_api import read_api, walk_pages


@pytest.fixture
async def catalog(database_url: str) -> AsyncIterator[tuple[asyncpg.Pool, str, httpx.AsyncClient]]:
    """The catalog's routers over a fresh schema with its read models."""
    async with read_api(database_url, SERVICE, TABLES) as api:
        yield api.pool, api.schema, api.http


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


async def test_model_version_pages_return_every_row_once_newest_first(
    catalog: tuple[asyncpg.Pool, str, httpx.AsyncClient],
) -> None:
    pool, schema, http = catalog
    await _versions(pool, schema, 31)
    everything = (await http.get("/model-versions", params={"limit": 1000})).json()
    assert everything["next_page_token"] is None
    walked = await walk_pages(http, "/model-versions", limit=4)
    assert walked == everything["items"]
    assert len({v["model_version_id"] for v in walked}) == 31
    keys = [(v["created_at"], v["model_version_id"]) for v in walked]
    assert keys == sorted(keys, reverse=True)
    one = (await http.get(f"/model-versions/{walked[0]['model_version_id']}")).json()
    assert one.pop("evaluation_summary") is not None and one == walked[0]
    assert (await http.get(f"/model-versions/{uuid.uuid4()}")).status_code == 404
    drafts = await walk_pages(http, "/model-versions", status="draft", limit=5)
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
