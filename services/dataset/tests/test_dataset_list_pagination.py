"""The dataset service's list endpoint is paginated, on the real PostgreSQL over HTTP."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from dataset_service.definition import SERVICE
from dataset_service.projections.tables import TABLES
from llmops_testing.read_api import read_api, walk_pages


async def test_dataset_version_pages_return_every_row_once_by_name_and_registration(
    database_url: str,
) -> None:
    async with read_api(database_url, SERVICE, TABLES) as api:
        now = datetime(2026, 1, 1, tzinfo=UTC)
        await api.pool.executemany(
            f"INSERT INTO {api.schema}.dataset_versions (dataset_version_id, name, version,"
            " storage_uri, owner_team, change_log, pii_scan_status, registered_by,"
            " registered_seq, created_at, updated_at)"
            " VALUES ($1, $2, $3, 's3://x', 'data', 'c', 'pending', 'dana', $4, $5, $5)",
            [(uuid.uuid4(), f"ds-{i % 3}", f"v{i}", i, now) for i in range(23)],
        )
        walked = await walk_pages(api.http, "/dataset-versions", limit=4)
        expected = sorted((f"ds-{i % 3}", i) for i in range(23))
        assert [(v["name"], int(v["version"][1:])) for v in walked] == expected
        assert all(v["immutable_snapshot"] is False for v in walked)
        pending = await walk_pages(api.http, "/dataset-versions", limit=50, approved="false")
        assert pending == walked
        assert await walk_pages(api.http, "/dataset-versions", limit=5, approved="true") == []
        named = await walk_pages(api.http, "/dataset-versions", limit=5, name="ds-1")
        assert {v["name"] for v in named} == {"ds-1"} and len(named) == 8
        bad = await api.http.get("/dataset-versions", params={"page_token": "garbage"})
        assert bad.status_code == 422
        assert (await api.http.get("/dataset-versions", params={"limit": 0})).status_code == 422
        one = await api.http.get(f"/dataset-versions/{walked[0]['dataset_version_id']}")
        assert one.json() == walked[0]
        assert (await api.http.get(f"/dataset-versions/{uuid.uuid4()}")).status_code == 404
