"""HTTP reads of dataset versions: list, detail, history and state as of a time."""

from __future__ import annotations

import functools
from typing import Any

import asyncpg
from fastapi import APIRouter

from dataset_service.domain import DatasetVersion
from dataset_service.views import DatasetViews
from llmops_runtime.eventstore import EventStore
from llmops_runtime.http.pagination import Page
from llmops_runtime.http.rows import row_json
from llmops_runtime.http.stream_routes import StreamRoutes


def version_row(row: asyncpg.Record) -> dict[str, Any]:
    """A dataset_versions row as JSON."""
    item = row_json(row, drop=("registered_seq",))
    return item | {"immutable_snapshot": item["approved_at"] is not None}


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
        return await views.versions.page(
            page, version_row, name, pii_scan_status, approved, owner_team
        )

    StreamRoutes(
        store, DatasetVersion, "dataset version", state=version_state,
        now=functools.partial(views.versions.one_json, version_row),
    ).add_to(router, "")  # fmt: skip
    return router
