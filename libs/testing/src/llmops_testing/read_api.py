"""A service's HTTP read API over a fresh schema of the real PostgreSQL, for its tests.

async with read_api(database_url, SERVICE, TABLES) as api:
    await api.pool.executemany(f"INSERT INTO {api.schema}.items ...", rows)
    assert [i["name"] for i in await walk_pages(api.http, "/items", limit=2)] == [...]
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx

from llmops_runtime.eventstore import EventStore
from llmops_runtime.http import create_service_app
from llmops_runtime.read_model_tables import ReadModelTables
from llmops_runtime.service import ServiceDefinition, ServiceResources


@dataclass(frozen=True)
class ReadApi:
    """The pool, the fresh schema and a client of the service's routers over them."""

    pool: asyncpg.Pool
    schema: str
    http: httpx.AsyncClient


async def _ready() -> dict[str, bool]:
    return {}


@asynccontextmanager
async def read_api(
    database_url: str, service: ServiceDefinition, tables: ReadModelTables
) -> AsyncIterator[ReadApi]:
    """A fresh schema with the event store and every read-model table, and the routers on it."""
    schema = f"t_{uuid.uuid4().hex[:10]}"
    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=4)
    try:
        store = EventStore(pool, schema)
        await store.create()
        async with pool.acquire() as conn:
            await tables.create_all(conn, schema)
        resources = ServiceResources(service.name, schema, pool, store)
        routers = service.build_routers(resources)
        app = create_service_app(service.name, readiness=_ready, routers=routers, read_gate=None)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url=f"http://{service.name}"
        ) as http:
            yield ReadApi(pool, schema, http)
    finally:
        await pool.close()


async def walk_pages(
    http: httpx.AsyncClient, path: str, *, limit: int, **params: Any
) -> list[dict[str, Any]]:
    """Every item of a paginated list, following next_page_token page by page."""
    items: list[dict[str, Any]] = []
    token = None
    while True:
        query = params | {"limit": limit} | ({"page_token": token} if token else {})
        response = await http.get(path, params=query)
        assert response.status_code == 200, response.text
        items += response.json()["items"]
        token = response.json()["next_page_token"]
        if token is None:
            return items
