"""HTTP reads of model aliases."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg
from fastapi import APIRouter, HTTPException

from catalog_service.domain import ModelAlias
from catalog_service.views import CatalogViews
from llmops_runtime.eventstore import EventStore
from llmops_runtime.http.history import stream_history
from llmops_runtime.http.pagination import Page


def alias_row(row: asyncpg.Record) -> dict[str, Any]:
    """A model_aliases row as JSON."""
    version = row["model_version_id"]
    return {
        "model_alias_id": str(row["model_alias_id"]),
        "name": row["name"],
        "alias": row["alias"],
        "model_version_id": None if version is None else str(version),
        "updated_by": row["updated_by"],
        "updated_at": row["updated_at"].isoformat(),
    }


def model_aliases_router(views: CatalogViews, store: EventStore) -> APIRouter:
    """GET /model-aliases, /models/{name}/aliases/{alias}[/history]."""
    router = APIRouter(tags=["model aliases"])

    @router.get("/model-aliases")
    async def list_aliases(name: str | None = None, *, page: Page) -> dict[str, Any]:
        """A page of the aliases that point at a version, filtered by model name."""
        return await views.aliases_page(page, alias_row, name)

    @router.get("/models/{name}/aliases/{alias}")
    async def detail(name: str, alias: str) -> dict[str, Any]:
        """The version an alias points at."""
        row = await views.alias(name, alias)
        if row is None:
            raise HTTPException(404, f"model {name!r} has no alias {alias!r}")
        return alias_row(row)

    @router.get("/models/{name}/aliases/{alias}/history")
    async def history(name: str, alias: str, *, page: Page) -> dict[str, Any]:
        """A page of the moves of the alias with actor and commit time."""
        alias_id: UUID = ModelAlias.id_for(name, alias)
        return await stream_history(store, alias_id, f"alias {alias!r} of model {name!r}", page)

    return router
