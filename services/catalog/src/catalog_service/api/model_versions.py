"""HTTP reads of model versions: list, detail, history and state as of a time."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any
from uuid import UUID

import asyncpg
from fastapi import APIRouter

from catalog_service.domain import ModelVersion
from catalog_service.views import CatalogViews
from llmops_runtime.eventstore import EventStore
from llmops_runtime.http.rows import row_json
from llmops_runtime.http.state import state_json
from llmops_runtime.http.stream_routes import StreamRoutes
from llmops_runtime.http.table_routes import add_list_route


def version_row(row: asyncpg.Record) -> dict[str, Any]:
    """A model_versions row as JSON."""
    return row_json(row, json_columns=("metadata", "lineage_dataset_ids", "last_transition"))


def version_state(version: ModelVersion) -> dict[str, Any]:
    """A model version aggregate (rebuilt from the store) as JSON."""
    return state_json(
        version, "model_version_id",
        "name type status owner_team metadata storage_uri lineage_dataset_ids"
        " lineage_training_job_id registered_by"
        " evaluation_summary created_at updated_at",
        version="version_label",
    ) | {"transitions": [asdict(t) for t in version.transitions]}  # fmt: skip


def model_versions_router(views: CatalogViews, store: EventStore) -> APIRouter:
    """GET /model-versions, /model-versions/{id}[?as_of=], /model-versions/{id}/history."""
    router = APIRouter(prefix="/model-versions", tags=["model versions"])

    add_list_route(
        router, "", views.versions, version_row,
        description="A page of model versions, newest first, filtered by name, status and type.",
    )  # fmt: skip

    async def now(model_version_id: UUID) -> dict[str, Any] | None:
        item = await views.versions.one_json(version_row, model_version_id)
        if item is not None:
            item["evaluation_summary"] = await views.evaluation_summary(str(model_version_id))
        return item

    StreamRoutes(store, ModelVersion, "model version", now=now, state=version_state).add_to(
        router, ""
    )
    return router
