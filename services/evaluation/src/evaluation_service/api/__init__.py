"""HTTP reads of evaluation runs: list, detail (as of a time), history and per-item results."""

from __future__ import annotations

import functools
from typing import Any
from uuid import UUID

import asyncpg
from fastapi import APIRouter

from evaluation_service.domain import EvaluationRun
from evaluation_service.views import EvaluationViews
from llmops_runtime.eventstore import EventStore
from llmops_runtime.http.pagination import Page
from llmops_runtime.http.rows import found, row_json
from llmops_runtime.http.state import state_json
from llmops_runtime.http.stream_routes import StreamRoutes
from llmops_runtime.http.table_routes import add_list_route


def run_row(row: asyncpg.Record) -> dict[str, Any]:
    """An evaluation_runs row as JSON (metrics decoded)."""
    return row_json(row, json_columns=("metrics",))


def item_row(row: asyncpg.Record) -> dict[str, Any]:
    """An evaluation_items row as JSON (scores decoded)."""
    return row_json(row, json_columns=("scores",))


def run_state(run: EvaluationRun) -> dict[str, Any]:
    """A run rebuilt from the store as JSON."""
    return state_json(
        run, "run_id",
        "model_version_id dataset_version_id snapshot_uri prompt_template_id type predictions_uri"
        " status notes run_by metrics snapshot_digest failure_reason attempts started_at"
        " completed_at",
    )  # fmt: skip


def runs_router(views: EvaluationViews, store: EventStore) -> APIRouter:
    """GET /evaluation-runs, /{id}[?as_of=], /{id}/history and /{id}/items."""
    router = APIRouter(prefix="/evaluation-runs", tags=["evaluation runs"])
    add_list_route(
        router, "", views.runs, run_row,
        description="A page of runs, newest first; filters: model/dataset version, type, status.",
    )  # fmt: skip

    @router.get("/{id}/items", summary="The per-item results of one run")
    async def items(id: UUID, *, page: Page) -> dict[str, Any]:
        """A page of item results by item id and scorer (metrics, a reviewer, a judge model)."""
        found(await views.runs.one(id), f"no evaluation run {id}")
        return await views.items.page(page, item_row, id)

    StreamRoutes(
        store, EvaluationRun, "evaluation run", state=run_state,
        now=functools.partial(views.runs.one_json, run_row),
    ).add_to(router, "")  # fmt: skip
    return router
