"""HTTP reads of role bindings."""

from __future__ import annotations

from fastapi import APIRouter

from governance_service.api.rows import as_json
from governance_service.views import GovernanceViews
from llmops_runtime.http.table_routes import table_router


def role_bindings_router(views: GovernanceViews) -> APIRouter:
    """GET /role-bindings (filters subject, role, active) and /role-bindings/{id}."""
    return table_router("/role-bindings", views.role_bindings, what="role binding", to_json=as_json)
