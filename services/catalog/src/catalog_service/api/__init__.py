"""The catalog's HTTP read API."""

from collections.abc import Sequence

from fastapi import APIRouter

from catalog_service.api.lineage import lineage_router
from catalog_service.api.model_aliases import model_aliases_router
from catalog_service.api.model_versions import model_versions_router
from catalog_service.projections.queries import PostgresCatalogReadModel
from llmops_runtime.service import ServiceResources


def build_routers(
    resources: ServiceResources, reads: PostgresCatalogReadModel
) -> Sequence[APIRouter]:
    """Every router of the catalog, over its own schema and the handlers' read model."""
    pool, schema, store = resources.pool, resources.schema, resources.store
    return [
        model_versions_router(pool, schema, store, reads),
        model_aliases_router(pool, schema, store),
        lineage_router(pool, schema),
    ]


__all__ = ["build_routers"]
