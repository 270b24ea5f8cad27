"""HTTP reads of dataset versions: list, detail, history and state as of a time."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg
from fastapi import APIRouter, HTTPException

from dataset_service.domain import DatasetVersion
from dataset_service.views import DatasetViews
from llmops_runtime.eventstore import EventStore
from llmops_runtime.http.history import load_as_of, stream_history
from llmops_runtime.http.pagination import Page


def version_row(row: asyncpg.Record) -> dict[str, Any]:
    """A dataset_versions row as JSON."""
    item = dict(row)
    item.pop("registered_seq")
    item["dataset_version_id"] = str(item["dataset_version_id"])
    for key in ("approved_at", "created_at", "updated_at"):
        item[key] = item[key] and item[key].isoformat()
    item["immutable_snapshot"] = item["approved_at"] is not None
    return item


def version_state(version: DatasetVersion) -> dict[str, Any]:
    """A dataset version aggregate (rebuilt from the store) as JSON."""
    return {
        "dataset_version_id": str(version.id),
        "name": version.name,
        "version": version.version_label,
        "storage_uri": version.storage_uri,
        "owner_team": version.owner_team,
        "change_log": version.change_log,
        "previous_version": version.previous_version,
        "diff_summary": version.diff_summary,
        "pii_scan_status": version.pii_scan_status,
        "quality_score": version.quality_score,
        "registered_by": version.registered_by,
        "approved_by": version.approved_by,
        "approved_at": version.approved_at and version.approved_at.isoformat(),
        "immutable_snapshot": version.approved,
        "created_at": version.created_on.isoformat(),
        "updated_at": version.modified_on.isoformat(),
        "stream_version": version.version,
    }


def dataset_versions_router(views: DatasetViews, store: EventStore) -> APIRouter:
    """GET /dataset-versions, /dataset-versions/{id}[?as_of=], /dataset-versions/{id}/history."""
    router = APIRouter(prefix="/dataset-versions", tags=["dataset versions"])

    @router.get("")
    async def list_versions(
        name: str | None = None,
        pii_scan_status: str | None = None,
        approved: bool | None = None,
        owner_team: str | None = None,
        *,
        page: Page,
    ) -> dict[str, Any]:
        """A page of dataset versions by name and registration order, filtered."""
        return await views.versions_page(
            page, version_row, name, pii_scan_status, approved, owner_team
        )

    @router.get("/{dataset_version_id}")
    async def detail(dataset_version_id: UUID, as_of: str | None = None) -> dict[str, Any]:
        """The version now (read model), or as of a time (rebuilt from the event store)."""
        if as_of is not None:
            return version_state(
                await load_as_of(
                    store, dataset_version_id, as_of, DatasetVersion, "dataset version"
                )
            )
        row = await views.version(dataset_version_id)
        if row is None:
            raise HTTPException(404, f"no dataset version {dataset_version_id}")
        return version_row(row)

    @router.get("/{dataset_version_id}/history")
    async def history(dataset_version_id: UUID, *, page: Page) -> dict[str, Any]:
        """A page of the events of the version with actor, metadata and commit time."""
        return await stream_history(store, dataset_version_id, "dataset version", page)

    return router
