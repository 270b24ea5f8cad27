"""The kit's read routes: TableReads, table_router and StreamRoutes, on the real PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import asyncpg
import httpx
import pytest
from fastapi import APIRouter

from llmops_runtime.eventstore import EventStore
from llmops_runtime.http import create_service_app
from llmops_runtime.http.named_routes import NamedRoutes
from llmops_runtime.http.pagination import Keyset
from llmops_runtime.http.rows import row_json
from llmops_runtime.http.state import state_json
from llmops_runtime.http.stream_routes import StreamRoutes
from llmops_runtime.http.table_routes import add_list_route, table_router
from llmops_runtime.read_model_views import TableReads
from llmops_testing.sample import Tally, create_tally_tables

pytestmark = pytest.mark.stack

TOTALS = TableReads(
    "tally_totals",
    Keyset.of(("total", "bigint"), ("tally_id", "uuid"), descending=True),
    key=("tally_id",),
    where="($1::bigint IS NULL OR total >= $1)",
    filters={"at_least": int},
)
# The same table with no filter, as table_router serves it.
ALL_TOTALS = TableReads("tally_totals", TOTALS.keyset, key=("tally_id",))


async def _ready() -> dict[str, bool]:
    return {}


@pytest.fixture
async def http(
    pool: asyncpg.Pool, schema: str, store: EventStore
) -> AsyncIterator[httpx.AsyncClient]:
    """/totals from table_router, /tallies from StreamRoutes, over five tallies."""
    async with pool.acquire() as conn:
        await create_tally_tables(conn, schema)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    await pool.executemany(
        f"INSERT INTO {schema}.tally_totals VALUES ($1, $2, $3, 1, $4)",
        [(uuid.uuid4(), f"t{i}", i * 10, now + timedelta(seconds=i)) for i in range(5)],
    )
    totals = ALL_TOTALS.bound(pool, schema)
    tallies = APIRouter(prefix="/tallies")
    StreamRoutes(
        store, Tally, "tally", state=lambda t: state_json(t, "tally_id", "name total owner"),
        now=lambda tally_id: totals.one_json(row_json, tally_id),
    ).add_to(tallies, "")  # fmt: skip
    filtered = APIRouter()
    add_list_route(filtered, "/filtered", TOTALS.bound(pool, schema), row_json, description="d")
    routers = [table_router("/totals", totals, what="tally total"), tallies, filtered]
    app = create_service_app("demo", readiness=_ready, routers=routers, read_gate=None)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://demo") as client:
        yield client


async def test_table_reads_list_in_key_order_filter_and_find_one_row(
    pool: asyncpg.Pool, schema: str, http: httpx.AsyncClient
) -> None:
    totals = TOTALS.bound(pool, schema)
    assert [r["total"] for r in await totals.all(None)] == [40, 30, 20, 10, 0]
    assert [r["name"] for r in await totals.all(25)] == ["t4", "t3"]
    first = (await http.get("/totals", params={"limit": 2})).json()
    assert [i["total"] for i in first["items"]] == [40, 30]
    after = {"limit": 2, "page_token": first["next_page_token"]}
    assert [i["total"] for i in (await http.get("/totals", params=after)).json()["items"]] == [
        20,
        10,
    ]
    row = first["items"][0]
    assert isinstance(row["tally_id"], str) and row["updated_at"].startswith("2026-01-01T")
    assert (await http.get(f"/totals/{row['tally_id']}")).json() == row
    missing = await http.get(f"/totals/{uuid.uuid4()}")
    assert missing.status_code == 404 and "no tally total" in missing.text


async def test_a_list_route_takes_its_filters_as_typed_query_parameters(
    http: httpx.AsyncClient,
) -> None:
    listed = (await http.get("/filtered", params={"at_least": 25, "limit": 1})).json()
    assert [i["total"] for i in listed["items"]] == [40]
    after = {"at_least": 25, "limit": 1, "page_token": listed["next_page_token"]}
    rest = (await http.get("/filtered", params=after)).json()
    assert [i["total"] for i in rest["items"]] == [30] and rest["next_page_token"] is None
    assert len((await http.get("/filtered")).json()["items"]) == 5
    assert (await http.get("/filtered", params={"at_least": "many"})).status_code == 422


def test_filters_must_match_the_placeholders_of_where() -> None:
    with pytest.raises(ValueError, match=r"\$1\.\.\$n"):
        TableReads("t", TOTALS.keyset, key=("tally_id",), where="total >= $2")
    with pytest.raises(ValueError, match="filters"):
        TableReads("t", TOTALS.keyset, key=("tally_id",), filters={"at_least": int})
    with pytest.raises(TypeError, match="0 filters"):
        TOTALS.check_filters(())
    TOTALS.check_filters((None,))


async def test_stream_routes_show_now_as_of_a_time_and_the_history(
    pool: asyncpg.Pool, schema: str, store: EventStore, http: httpx.AsyncClient
) -> None:
    owner = uuid.uuid4()
    tally = Tally("kept", owner)
    await store.save(tally)
    tally.increment(5)
    await store.save(tally)
    # Only the read model answers "now": this tally has no row yet, so it is a 404.
    assert (await http.get(f"/tallies/{tally.id}")).status_code == 404
    as_of = (datetime.now(UTC) + timedelta(minutes=1)).isoformat()
    state = (await http.get(f"/tallies/{tally.id}", params={"as_of": as_of})).json()
    assert state == {
        "tally_id": str(tally.id), "name": "kept", "total": 5, "owner": str(owner),
        "stream_version": 2,
    }  # fmt: skip
    before = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    assert (await http.get(f"/tallies/{tally.id}", params={"as_of": before})).status_code == 404
    history = (await http.get(f"/tallies/{tally.id}/history")).json()["items"]
    assert [e["stream_version"] for e in history] == [1, 2]
    assert (await http.get(f"/tallies/{uuid.uuid4()}/history")).status_code == 404
    listed = (await http.get("/totals", params={"limit": 1})).json()["items"][0]
    now = await http.get(f"/tallies/{listed['tally_id']}")
    assert now.json() == listed


async def test_named_routes_read_a_row_by_name_and_key_and_its_stream(
    pool: asyncpg.Pool, schema: str, store: EventStore
) -> None:
    tally = Tally("kept", uuid.uuid4())
    await store.save(tally)
    await pool.execute(f"CREATE TABLE {schema}.pointers (name text, key text, target text)")
    await pool.execute(f"INSERT INTO {schema}.pointers VALUES ('bot', 'prod', 'v1')")
    pointers = TableReads(
        "pointers", Keyset.of(("name", "text"), ("key", "text")), key=("name", "key")
    )
    router = APIRouter()
    NamedRoutes(
        store, pointers.bound(pool, schema), row_json, what="label {key!r} of {name!r}",
        stream_id=lambda name, key: tally.id if (name, key) == ("bot", "prod") else uuid.uuid4(),
    ).add_to(router, "/things/{name}/labels/{key}")  # fmt: skip
    app = create_service_app("demo", readiness=_ready, routers=[router], read_gate=None)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://demo") as http:
        assert (await http.get("/things/bot/labels/prod")).json() == {
            "name": "bot", "key": "prod", "target": "v1",
        }  # fmt: skip
        missing = await http.get("/things/bot/labels/dev")
        assert missing.status_code == 404 and "label 'dev' of 'bot'" in missing.text
        history = (await http.get("/things/bot/labels/prod/history")).json()["items"]
        assert [e["stream_version"] for e in history] == [1]
        assert (await http.get("/things/bot/labels/dev/history")).status_code == 404
    with pytest.raises(ValueError, match="name"):
        NamedRoutes(store, pointers.bound(pool, schema), row_json, stream_id=lambda n, k: tally.id,
                    what="x").add_to(APIRouter(), "/things/{id}")  # fmt: skip
