"""HTTP reads of policies (with their reviews) and policy violations."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, HTTPException

from governance_service.api.rows import as_json
from governance_service.views import GovernanceViews
from llmops_runtime.eventstore import EventStore
from llmops_runtime.http.history import stream_history
from llmops_runtime.http.pagination import Page


def policies_router(views: GovernanceViews, store: EventStore) -> APIRouter:
    """GET /policies (filters status, scope), /policies/{id} with reviews, and its history."""
    router = APIRouter(prefix="/policies", tags=["policies"])

    @router.get("")
    async def list_policies(
        status: str | None = None, scope: str | None = None, *, page: Page
    ) -> dict[str, Any]:
        """A page of policies by name, filtered."""
        return await views.policies_page(page, as_json, status, scope)

    @router.get("/{policy_id}")
    async def detail(policy_id: UUID) -> dict[str, Any]:
        """The policy's current state and every review of it, oldest first."""
        row = await views.policy(policy_id)
        if row is None:
            raise HTTPException(404, f"no policy {policy_id}")
        reviews = [as_json(r) for r in await views.policy_reviews(policy_id)]
        return as_json(row) | {"reviews": reviews}

    @router.get("/{policy_id}/history")
    async def history(policy_id: UUID, *, page: Page) -> dict[str, Any]:
        """A page of the policy's events with actor, metadata and commit time."""
        return await stream_history(store, policy_id, "policy", page)

    return router


def violations_router(views: GovernanceViews) -> APIRouter:
    """GET /policy-violations (filters resource_id, policy_id)."""
    router = APIRouter(prefix="/policy-violations", tags=["policy violations"])

    @router.get("")
    async def list_violations(
        resource_id: UUID | None = None, policy_id: UUID | None = None, *, page: Page
    ) -> dict[str, Any]:
        """A page of violations in the order they were recorded, filtered."""
        return await views.violations_page(page, as_json, resource_id, policy_id)

    return router
