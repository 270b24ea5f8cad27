"""The dataset service's list endpoint is paginated, on the real PostgreSQL over HTTP."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import asyncpg
import httpx

from dataset_service.bootstrap import WIRING
from dataset_service.projections.tables import TABLES
from llmops_runtime.eventstore import EventStore
from llmops_runtime.http import create_service_app
from llmops_runtime.service import ServiceResources


async def _ready() -> dict[str, bool]:
    return {}


async def test_dataset_version_pages_return_every_row_once_by_name_and_registration(
    database_url: str,
) -> None:
    schema = f"ds_{uuid.uuid4().hex[:10]}"
    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=4)
    try:
        store = EventStore(pool, schema)
        await store.create()
        async with pool.acquire() as conn:
            await TABLES.create_all(conn, schema)
        now = datetime(2026, 1, 1, tzinfo=UTC)
        await pool.executemany(
            f"INSERT INTO {schema}.dataset_versions (dataset_version_id, name, version,"
            " storage_uri, owner_team, change_log, pii_scan_status, registered_by,"
            " registered_seq, created_at, updated_at)"
            " VALUES ($1, $2, $3, 's3://x', 'data', 'c', 'pending', 'dana', $4, $5, $5)",
            [(uuid.uuid4(), f"ds-{i % 3}", f"v{i}", i, now) for i in range(23)],
        )
        app = create_service_app(
            "dataset",
            readiness=_ready,
            routers=WIRING.build_routers(ServiceResources("dataset", schema, pool, store)),
        )
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://dataset") as http:
            walked: list[dict[str, Any]] = []
            token = None
            while True:
                params: dict[str, Any] = {"limit": 4, **({"page_token": token} if token else {})}
                body = (await http.get("/dataset-versions", params=params)).json()
                walked += body["items"]
                token = body["next_page_token"]
                if token is None:
                    break
            expected = sorted((f"ds-{i % 3}", i) for i in range(23))
            assert [(v["name"], int(v["version"][1:])) for v in walked] == expected
            bad = await http.get("/dataset-versions", params={"page_token": "garbage"})
            assert bad.status_code == 422
            assert (await http.get("/dataset-versions", params={"limit": 0})).status_code == 422
    finally:
        await pool.close()
