"""The catalog's HTTP read API."""

from collections.abc import Sequence

from fastapi import APIRouter

from catalog_service.api.lineage import lineage_router
from catalog_service.api.model_aliases import model_aliases_router
from catalog_service.api.model_versions import model_versions_router
from catalog_service.views import CatalogViews
from llmops_runtime.eventstore import EventStore


def build_routers(views: CatalogViews, store: EventStore) -> Sequence[APIRouter]:
    """Every router of the catalog, over its views and the event store (history, as_of)."""
    return [
        model_versions_router(views, store),
        model_aliases_router(views, store),
        lineage_router(views),
    ]


__all__ = ["build_routers"]
