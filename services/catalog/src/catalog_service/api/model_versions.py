"""HTTP reads of model versions: list, detail, history and state as of a time."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any
from uuid import UUID

import asyncpg
from fastapi import APIRouter, HTTPException

from catalog_service.domain import ModelVersion
from catalog_service.views import CatalogViews
from llmops_runtime.eventstore import EventStore
from llmops_runtime.http.history import load_as_of, stream_history
from llmops_runtime.http.pagination import Page


def version_row(row: asyncpg.Record) -> dict[str, Any]:
    """A model_versions row as JSON."""
    item = dict(row)
    for key in ("metadata", "lineage_dataset_ids", "last_transition"):
        if item[key] is not None:
            item[key] = json.loads(item[key])
    item["model_version_id"] = str(item["model_version_id"])
    item["created_at"] = item["created_at"].isoformat()
    item["updated_at"] = item["updated_at"].isoformat()
    return item


def version_state(version: ModelVersion) -> dict[str, Any]:
    """A model version aggregate (rebuilt from the store) as JSON."""
    return {
        "model_version_id": str(version.id),
        "name": version.name,
        "version": version.version_label,
        "type": version.type,
        "status": version.status,
        "owner_team": version.owner_team,
        "metadata": version.metadata,
        "storage_uri": version.storage_uri,
        "lineage_dataset_ids": version.lineage_dataset_ids,
        "registered_by": version.registered_by,
        "transitions": [asdict(t) for t in version.transitions],
        "evaluation_summary": version.evaluation_summary,
        "created_at": version.created_at.isoformat(),
        "updated_at": version.updated_at.isoformat(),
        "stream_version": version.version,
    }


def model_versions_router(views: CatalogViews, store: EventStore) -> APIRouter:
    """GET /model-versions, /model-versions/{id}[?as_of=], /model-versions/{id}/history."""
    router = APIRouter(prefix="/model-versions", tags=["model versions"])

    @router.get("")
    async def list_versions(
        name: str | None = None,
        status: str | None = None,
        type: str | None = None,
        *,
        page: Page,
    ) -> dict[str, Any]:
        """A page of model versions, newest first, filtered by name, status and type."""
        return await views.versions_page(page, version_row, name, status, type)

    @router.get("/{model_version_id}")
    async def detail(model_version_id: UUID, as_of: str | None = None) -> dict[str, Any]:
        """The version now (read model), or as of a time (rebuilt from the event store)."""
        if as_of is not None:
            return version_state(
                await load_as_of(store, model_version_id, as_of, ModelVersion, "model version")
            )
        row = await views.version(model_version_id)
        if row is None:
            raise HTTPException(404, f"no model version {model_version_id}")
        item = version_row(row)
        item["evaluation_summary"] = await views.evaluation_summary(str(model_version_id))
        return item

    @router.get("/{model_version_id}/history")
    async def history(model_version_id: UUID, *, page: Page) -> dict[str, Any]:
        """A page of the events of the version with actor, metadata and commit time."""
        return await stream_history(store, model_version_id, "model version", page)

    return router
