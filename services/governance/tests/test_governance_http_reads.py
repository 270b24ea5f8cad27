"""The governance read API over HTTP on the real PostgreSQL: filters, pages, detail."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import httpx
import pytest

from governance_service.bootstrap import WIRING
from governance_service.projections import projections
from llmops_events import governance as contracts
from llmops_runtime.eventstore import EventStore
from llmops_runtime.http import create_service_app
from llmops_runtime.projections.projector import envelope_of
from llmops_runtime.service import ServiceResources

T0 = datetime(2026, 1, 1, tzinfo=UTC)
RULES: list[dict[str, Any]] = [{"kind": "max_training_retries", "max_retries": 2}]


async def _ready() -> dict[str, bool]:
    return {}


def _grant(subject: str, role: str) -> contracts.RoleBindingGranted:
    return contracts.RoleBindingGranted(
        role_binding_id=uuid4(), subject_kind="actor", subject=subject, role=role,
        actions=["read"], resource_type=None, owner_team=None, granted_by="root", reason="r",
    )  # fmt: skip


def _policy_events(name: str, scope: contracts.PolicyScope, active: bool) -> tuple[UUID, list[Any]]:
    pid = uuid4()
    events: list[Any] = [
        contracts.PolicyDrafted(policy_id=pid, name=name, scope=scope, rules=RULES, drafted_by="g")
    ]
    if active:
        events.append(contracts.PolicyActivated(policy_id=pid, changed_by="g", reason="go", at=T0))
    return pid, events


@dataclass
class Filled:
    """What the fixture wrote: a policy with reviews and violations, and one resource."""

    policy_id: str = ""
    resource_id: str = ""


FILLED = Filled()


@pytest.fixture
async def http(database_url: str, unique_name: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the governance routers over a fresh schema, filled through the projection."""
    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=4)
    store = EventStore(pool, unique_name)
    await store.create()
    projection = projections()[0]
    events: list[Any] = [_grant(f"user-{i % 4}", ("viewer", "approver")[i % 2]) for i in range(11)]
    revoked = events[0]
    events.append(
        contracts.RoleBindingRevoked(
            role_binding_id=revoked.role_binding_id, revoked_by="root", reason="left"
        )
    )
    for i in range(5):
        events += _policy_events(f"policy-{i}", "model" if i % 2 == 0 else "dataset", active=i < 3)[
            1
        ]
    pid, more = _policy_events("reviewed", "user", active=True)
    more.append(
        contracts.PolicyReviewed(
            policy_id=pid, reviewer="rita", decision="approved", notes="fine", at=T0
        )
    )
    resource = uuid4()
    for n in range(3):
        more.append(
            contracts.PolicyViolationRecorded(
                policy_id=pid,
                violation_id=uuid4(),
                resource_type="model_version",
                resource_id=resource if n < 2 else uuid4(),
                details=f"v{n}",
                recorded_by="bot",
            )
        )
    events += more
    envelopes = [envelope_of(e, i + 1, T0 + timedelta(seconds=i)) for i, e in enumerate(events)]
    async with pool.acquire() as conn:
        await projection.create_tables(conn, unique_name)
        await projection.apply_batch(conn, unique_name, envelopes)  # type: ignore[misc]
    app = create_service_app(
        "governance",
        readiness=_ready,
        routers=WIRING.build_routers(ServiceResources("governance", unique_name, pool, store)),
        read_gate=None,
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://governance") as client:
        FILLED.policy_id, FILLED.resource_id = str(pid), str(resource)
        yield client
    async with pool.acquire() as conn:
        await conn.execute(f"DROP SCHEMA {unique_name} CASCADE")
    await pool.close()


async def _walk(http: httpx.AsyncClient, path: str, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    token = None
    while True:
        page = params | {"limit": 3} | ({"page_token": token} if token else {})
        response = await http.get(path, params=page)
        assert response.status_code == 200, response.text
        body = response.json()
        items += body["items"]
        token = body["next_page_token"]
        if token is None:
            return items


async def test_role_bindings_are_paged_by_subject_and_filtered(http: httpx.AsyncClient) -> None:
    every = await _walk(http, "/role-bindings")
    assert len(every) == 11
    assert [(b["subject"], b["role"]) for b in every] == sorted(
        (b["subject"], b["role"]) for b in every
    )
    assert every[0]["actions"] == ["read"]
    approvers = await _walk(http, "/role-bindings", role="approver")
    assert len(approvers) == 5 and {b["role"] for b in approvers} == {"approver"}
    inactive = await _walk(http, "/role-bindings", active="false")
    assert [b["subject"] for b in inactive] == ["user-0"]
    assert len(await _walk(http, "/role-bindings", subject="user-1")) == 3
    one = every[0]["role_binding_id"]
    assert (await http.get(f"/role-bindings/{one}")).json()["role_binding_id"] == one
    assert (await http.get(f"/role-bindings/{uuid4()}")).status_code == 404


async def test_policies_are_paged_by_name_and_filtered_by_status_and_scope(
    http: httpx.AsyncClient,
) -> None:
    every = await _walk(http, "/policies")
    assert [p["name"] for p in every] == sorted(p["name"] for p in every)
    assert len(every) == 6
    active = await _walk(http, "/policies", status="active")
    assert {p["name"] for p in active} == {"policy-0", "policy-1", "policy-2", "reviewed"}
    assert {p["name"] for p in await _walk(http, "/policies", scope="dataset")} == {
        "policy-1", "policy-3",
    }  # fmt: skip
    assert active[0]["rules"] == RULES
    assert (await http.get("/policies", params={"page_token": "garbage"})).status_code == 422


async def test_a_policy_s_detail_holds_its_reviews(http: httpx.AsyncClient) -> None:
    pid = FILLED.policy_id
    body = (await http.get(f"/policies/{pid}")).json()
    assert (body["name"], body["status"], body["review_overdue"]) == ("reviewed", "active", False)
    assert body["last_reviewed_at"] == T0.isoformat()
    assert body["due_at"] == (T0 + timedelta(days=90)).isoformat()
    assert [(r["reviewer"], r["decision"], r["notes"]) for r in body["reviews"]] == [
        ("rita", "approved", "fine")
    ]
    assert (await http.get(f"/policies/{uuid4()}")).status_code == 404


async def test_violations_are_filtered_by_resource_and_policy(http: httpx.AsyncClient) -> None:
    pid, resource = FILLED.policy_id, FILLED.resource_id
    assert len(await _walk(http, "/policy-violations")) == 3
    by_resource = await _walk(http, "/policy-violations", resource_id=resource)
    assert [v["details"] for v in by_resource] == ["v0", "v1"]
    assert len(await _walk(http, "/policy-violations", policy_id=pid)) == 3
    assert await _walk(http, "/policy-violations", policy_id=str(uuid4())) == []
