"""HTTP reads of model aliases."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter

from catalog_service.domain import ModelAlias
from catalog_service.views import CatalogViews
from llmops_runtime.eventstore import EventStore
from llmops_runtime.http.history import stream_history
from llmops_runtime.http.pagination import Page
from llmops_runtime.http.rows import found, row_json
from llmops_runtime.http.table_routes import add_list_route


def model_aliases_router(views: CatalogViews, store: EventStore) -> APIRouter:
    """GET /model-aliases, /models/{name}/aliases/{alias}[/history]."""
    router = APIRouter(tags=["model aliases"])

    add_list_route(
        router, "/model-aliases", views.aliases, row_json,
        description="A page of the aliases that point at a version, filtered by model name.",
    )  # fmt: skip

    @router.get("/models/{name}/aliases/{alias}")
    async def detail(name: str, alias: str) -> dict[str, Any]:
        """The version an alias points at."""
        row = await views.aliases.one(name, alias)
        return row_json(found(row, f"model {name!r} has no alias {alias!r}"))

    @router.get("/models/{name}/aliases/{alias}/history")
    async def history(name: str, alias: str, *, page: Page) -> dict[str, Any]:
        """A page of the moves of the alias with actor and commit time."""
        alias_id: UUID = ModelAlias.id_for(name, alias)
        return await stream_history(store, alias_id, f"alias {alias!r} of model {name!r}", page)

    return router
