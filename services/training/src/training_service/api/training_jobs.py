"""HTTP reads of training jobs: list, detail (now or as of), history, metric series."""

from __future__ import annotations

import functools
from typing import Any
from uuid import UUID

import asyncpg
from fastapi import APIRouter

from llmops_runtime.eventstore import EventStore
from llmops_runtime.http.pagination import Page
from llmops_runtime.http.rows import found, row_json
from llmops_runtime.http.state import state_json
from llmops_runtime.http.stream_routes import StreamRoutes
from llmops_runtime.http.table_routes import add_list_route
from training_service.domain import TrainingJob
from training_service.views import TrainingViews

_JSON = ("dataset_ids", "hyperparameters", "resource_profile", "command")


def job_row(row: asyncpg.Record) -> dict[str, Any]:
    """A training_jobs row as JSON."""
    return row_json(row, json_columns=_JSON)


def metric_row(row: asyncpg.Record) -> dict[str, Any]:
    """One point of a series."""
    return row_json(row, drop=("metric_batch_id", "seq"))


def job_state(job: TrainingJob) -> dict[str, Any]:
    """A job aggregate rebuilt from the store, as JSON."""
    return state_json(
        job, "training_job_id",
        "model_entry_id dataset_ids job_type hyperparameters resource_profile command"
        " scheduler_id owner_team status attempt last_failure output_artifact_uri submitted_by"
        " submitted_at started_at completed_at",
    )  # fmt: skip


def training_jobs_router(views: TrainingViews, store: EventStore) -> APIRouter:
    """GET /training-jobs, /{id}[?as_of=], /{id}/history, /{id}/metrics?name=."""
    router = APIRouter(prefix="/training-jobs", tags=["training jobs"])
    add_list_route(
        router, "", views.jobs, job_row,
        description="A page of training jobs, newest first, filtered by status/team/model.",
    )  # fmt: skip

    @router.get("/{id}/metrics", summary="A job's metric series, by name then step")
    async def metrics(id: UUID, *, page: Page, name: str | None = None) -> dict[str, Any]:
        """A page of the job's metric points (one series with ?name=)."""
        found(await views.jobs.one(id), f"no training job {id}")
        return await views.metrics.page(page, metric_row, id, name)

    StreamRoutes(
        store, TrainingJob, "training job", state=job_state,
        now=functools.partial(views.jobs.one_json, job_row),
    ).add_to(router, "")  # fmt: skip
    return router
