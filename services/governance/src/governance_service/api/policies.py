"""HTTP reads of policies (with their reviews), policy violations and retry overrides."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter

from governance_service.api.rows import as_json
from governance_service.views import GovernanceViews
from llmops_runtime.eventstore import EventStore
from llmops_runtime.http.history import stream_history
from llmops_runtime.http.pagination import Page
from llmops_runtime.http.rows import found
from llmops_runtime.http.table_routes import add_list_route


def policies_router(views: GovernanceViews, store: EventStore) -> APIRouter:
    """GET /policies (filters status, scope), /policies/{id} with reviews, and its history."""
    router = APIRouter(prefix="/policies", tags=["policies"])
    add_list_route(
        router, "", views.policies, as_json, description="A page of policies by name, filtered."
    )

    @router.get("/{policy_id}")
    async def detail(policy_id: UUID) -> dict[str, Any]:
        """The policy's current state and every review of it, oldest first."""
        row = found(await views.policies.one(policy_id), f"no policy {policy_id}")
        reviews = [as_json(r) for r in await views.policy_reviews(policy_id)]
        return as_json(row) | {"reviews": reviews}

    @router.get("/{policy_id}/history")
    async def history(policy_id: UUID, *, page: Page) -> dict[str, Any]:
        """A page of the policy's events with actor, metadata and commit time."""
        return await stream_history(store, policy_id, "policy", page)

    return router


def records_router(views: GovernanceViews) -> APIRouter:
    """GET /policy-violations (filters resource_id, policy_id) in recording order, and
    GET /retry-overrides (filter training_job_id): what training accepts above 3 retries."""
    router = APIRouter(tags=["policy violations", "retry overrides"])
    add_list_route(
        router, "/policy-violations", views.violations, as_json,
        description="A page of violations in the order they were recorded, filtered.",
    )  # fmt: skip
    add_list_route(
        router, "/retry-overrides", views.retry_overrides, as_json,
        description="A page of approved retry overrides, optionally of one training job.",
    )  # fmt: skip
    return router
