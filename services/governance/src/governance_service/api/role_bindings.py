"""HTTP reads of role bindings."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, HTTPException

from governance_service.api.rows import as_json
from governance_service.views import GovernanceViews
from llmops_runtime.http.pagination import Page


def role_bindings_router(views: GovernanceViews) -> APIRouter:
    """GET /role-bindings (filters subject, role, active) and /role-bindings/{id}."""
    router = APIRouter(prefix="/role-bindings", tags=["role bindings"])

    @router.get("")
    async def list_bindings(
        subject: str | None = None, role: str | None = None, active: bool | None = None,
        *, page: Page,
    ) -> dict[str, Any]:  # fmt: skip
        """A page of role bindings by subject and role, filtered."""
        return await views.role_bindings_page(page, as_json, subject, role, active)

    @router.get("/{role_binding_id}")
    async def detail(role_binding_id: UUID) -> dict[str, Any]:
        """One binding's current state."""
        row = await views.role_binding(role_binding_id)
        if row is None:
            raise HTTPException(404, f"no role binding {role_binding_id}")
        return as_json(row)

    return router
