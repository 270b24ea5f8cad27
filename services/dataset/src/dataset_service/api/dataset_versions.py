"""HTTP reads of dataset versions: list, detail, history and state as of a time."""

from __future__ import annotations

import functools
from typing import Any

import asyncpg
from fastapi import APIRouter

from dataset_service.domain import DatasetVersion
from dataset_service.views import DatasetViews
from llmops_runtime.eventstore import EventStore
from llmops_runtime.http.rows import row_json
from llmops_runtime.http.state import state_json
from llmops_runtime.http.stream_routes import StreamRoutes
from llmops_runtime.http.table_routes import add_list_route


def version_row(row: asyncpg.Record) -> dict[str, Any]:
    """A dataset_versions row as JSON."""
    item = row_json(row, drop=("registered_seq",))
    return item | {"immutable_snapshot": item["approved_at"] is not None}


def version_state(version: DatasetVersion) -> dict[str, Any]:
    """A dataset version aggregate (rebuilt from the store) as JSON."""
    return state_json(
        version, "dataset_version_id",
        "name storage_uri owner_team change_log previous_version diff_summary pii_scan_status"
        " quality_score registered_by approved_by approved_at",
        version="version_label", immutable_snapshot="approved", created_at="created_on",
        updated_at="modified_on",
    )  # fmt: skip


def dataset_versions_router(views: DatasetViews, store: EventStore) -> APIRouter:
    """GET /dataset-versions, /dataset-versions/{id}[?as_of=], /dataset-versions/{id}/history."""
    router = APIRouter(prefix="/dataset-versions", tags=["dataset versions"])

    add_list_route(
        router, "", views.versions, version_row,
        description="A page of dataset versions by name and registration order, filtered.",
    )  # fmt: skip

    StreamRoutes(
        store, DatasetVersion, "dataset version", state=version_state,
        now=functools.partial(views.versions.one_json, version_row),
    ).add_to(router, "")  # fmt: skip
    return router
