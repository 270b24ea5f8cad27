"""The governance service's HTTP read API (built in `governance_service.bootstrap`)."""

from fastapi import APIRouter

from governance_service.api.policies import policies_router, records_router
from governance_service.api.role_bindings import role_bindings_router
from governance_service.views import GovernanceViews
from llmops_runtime.eventstore import EventStore


def build_routers(views: GovernanceViews, store: EventStore) -> list[APIRouter]:
    """Every governance router over one set of views."""
    return [role_bindings_router(views), policies_router(views, store), records_router(views)]


__all__ = ["build_routers"]
