"""Keyset pagination of list and history endpoints, on the real PostgreSQL over HTTP."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import httpx
import pytest
from fastapi import APIRouter

from llmops_runtime.commands.tables import create_command_tables
from llmops_runtime.eventstore import EventStore
from llmops_runtime.http import create_service_app
from llmops_runtime.http.audit import audit_router
from llmops_runtime.http.history import stream_history
from llmops_runtime.http.pagination import Page
from llmops_testing.sample import Tally


async def _ready() -> dict[str, bool]:
    return {}


@pytest.fixture
async def http(
    pool: asyncpg.Pool, schema: str, store: EventStore
) -> AsyncIterator[httpx.AsyncClient]:
    """The service app with the audit router and a tally history router over a fresh schema."""
    async with pool.acquire() as conn:
        await create_command_tables(conn, schema)
    tallies = APIRouter()

    @tallies.get("/tallies/{tally_id}/history")
    async def history(tally_id: uuid.UUID, *, page: Page) -> dict[str, Any]:
        return await stream_history(store, tally_id, "tally", page)

    app = create_service_app(
        "demo", readiness=_ready, routers=[audit_router(pool, schema), tallies], read_gate=None
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://demo"
    ) as client:
        yield client


async def _audit(pool: asyncpg.Pool, schema: str, count: int, actor: str = "eve") -> None:
    await pool.executemany(
        f"INSERT INTO {schema}.command_audit (actor, actor_verified, command_id, status, code)"
        " VALUES ($1, false, $2, 'rejected', 'unauthenticated')",
        [(actor, f"c{i:04d}") for i in range(count)],
    )


async def _walk(http: httpx.AsyncClient, path: str, **params: Any) -> tuple[list[Any], int]:
    """Every item of every page, following next_page_token; and the number of pages."""
    items: list[Any] = []
    pages = 0
    token = None
    while True:
        query = {**params, **({"page_token": token} if token else {})}
        response = await http.get(path, params=query)
        assert response.status_code == 200, response.text
        body = response.json()
        assert set(body) == {"items", "next_page_token"}
        items += body["items"]
        pages += 1
        token = body["next_page_token"]
        if token is None:
            return items, pages


async def test_walking_audit_pages_returns_every_row_once_newest_first(
    http: httpx.AsyncClient, pool: asyncpg.Pool, schema: str
) -> None:
    await _audit(pool, schema, 25)
    await _audit(pool, schema, 3, actor="mallory")
    items, pages = await _walk(http, "/audit", actor="eve", limit=7)
    assert pages == 4
    assert [r["command_id"] for r in items] == [f"c{i:04d}" for i in reversed(range(25))]
    ids = [r["id"] for r in items]
    assert ids == sorted(set(ids), reverse=True)


async def test_a_list_defaults_to_100_rows_and_ends_with_a_null_token(
    http: httpx.AsyncClient, pool: asyncpg.Pool, schema: str
) -> None:
    await _audit(pool, schema, 150)
    first = (await http.get("/audit")).json()
    assert len(first["items"]) == 100
    assert first["next_page_token"] is not None
    rest = (await http.get("/audit", params={"page_token": first["next_page_token"]})).json()
    assert (len(rest["items"]), rest["next_page_token"]) == (50, None)
    exact = (await http.get("/audit", params={"limit": 150})).json()
    assert (len(exact["items"]), exact["next_page_token"]) == (150, None)


async def test_a_limit_out_of_bounds_is_refused_with_422(http: httpx.AsyncClient) -> None:
    for limit in (0, 1001, -5):
        response = await http.get("/audit", params={"limit": limit})
        assert response.status_code == 422, limit
        assert "limit" in response.text
    assert (await http.get("/audit", params={"limit": 1000})).status_code == 200


async def test_a_tampered_or_foreign_page_token_is_refused_with_422(
    http: httpx.AsyncClient, pool: asyncpg.Pool, schema: str
) -> None:
    await _audit(pool, schema, 5)
    await _audit(pool, schema, 5, actor="mallory")
    token = (await http.get("/audit", params={"limit": 2, "actor": "eve"})).json()[
        "next_page_token"
    ]
    assert token
    flipped = token[:-3] + ("A" if token[-3] != "A" else "B") + token[-2:]
    forged = "W1s5OTk5OTk5OV1d"  # base64 of a key with no valid MAC
    for bad in (flipped, forged, "not a token!", "", token + "x"):
        response = await http.get("/audit", params={"limit": 2, "actor": "eve", "page_token": bad})
        assert response.status_code == 422, bad
        assert "page_token" in response.json()["detail"]
    # A token of one query does not continue another one (other filters).
    other = await http.get("/audit", params={"limit": 2, "actor": "mallory", "page_token": token})
    assert other.status_code == 422
    # The same query still continues.
    good = await http.get("/audit", params={"limit": 2, "actor": "eve", "page_token": token})
    assert good.status_code == 200


async def test_a_stream_history_is_paginated_in_version_order(
    http: httpx.AsyncClient, store: EventStore
) -> None:
    tally = Tally("big", uuid.uuid4())
    for i in range(11):
        tally.increment(i)
    await store.save(tally)
    items, pages = await _walk(http, f"/tallies/{tally.id}/history", limit=4)
    assert pages == 3
    assert [e["stream_version"] for e in items] == list(range(1, 13))
    assert (await http.get(f"/tallies/{uuid.uuid4()}/history")).status_code == 404
    assert (
        await http.get(f"/tallies/{tally.id}/history", params={"limit": 5000})
    ).status_code == 422
