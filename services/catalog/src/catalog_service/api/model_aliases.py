"""HTTP reads of model aliases."""

from __future__ import annotations

from fastapi import APIRouter

from catalog_service.domain import ModelAlias
from catalog_service.views import CatalogViews
from llmops_runtime.eventstore import EventStore
from llmops_runtime.http.named_routes import NamedRoutes
from llmops_runtime.http.rows import row_json
from llmops_runtime.http.table_routes import add_list_route


def model_aliases_router(views: CatalogViews, store: EventStore) -> APIRouter:
    """GET /model-aliases, /models/{name}/aliases/{alias}[/history]."""
    router = APIRouter(tags=["model aliases"])

    add_list_route(
        router, "/model-aliases", views.aliases, row_json,
        description="A page of the aliases that point at a version, filtered by model name.",
    )  # fmt: skip

    NamedRoutes(
        store, views.aliases, row_json, stream_id=ModelAlias.id_for,
        what="alias {key!r} of model {name!r}",
    ).add_to(router, "/models/{name}/aliases/{key}")  # fmt: skip
    return router
