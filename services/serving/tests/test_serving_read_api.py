"""The serving read API on the real PostgreSQL: what served at a time, snapshots by bucket."""

import uuid
from datetime import UTC, datetime

from llmops_testing.read_api import read_api, walk_pages
from serving_service.definition import SERVICE
from serving_service.projections import TABLES

T0, T1, T2 = (datetime(2026, 1, 1, h, tzinfo=UTC) for h in (1, 2, 3))


async def test_endpoints_as_of_a_time_show_the_version_that_served_then(
    database_url: str,
) -> None:
    async with read_api(database_url, SERVICE, TABLES) as api:
        endpoint, first, back = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        insert = (
            f"INSERT INTO {api.schema}.endpoint_deployments (serving_endpoint_id, environment,"
            " route, model_entry_id, model_version, valid_from, valid_to)"
            " VALUES ($1, 'PROD', 'http://127.0.0.1:1', $2, $3, $4, $5)"
        )
        await api.pool.execute(insert, endpoint, first, "2.0.0", T0, T1)
        await api.pool.execute(insert, endpoint, back, "1.0.0", T1, None)
        now = await walk_pages(api.http, "/endpoints", limit=10)
        assert [d["model_version"] for d in now] == ["1.0.0"]
        params = {"environment": "PROD", "as_of": "2026-01-01T01:30:00Z"}
        then = (await api.http.get("/endpoints", params=params)).json()["items"]
        assert [d["model_entry_id"] for d in then] == [str(first)]
        dev = await api.http.get("/endpoints", params={"environment": "DEV"})
        assert dev.json()["items"] == []
        assert (await api.http.get(f"/endpoints/{uuid.uuid4()}")).status_code == 404
