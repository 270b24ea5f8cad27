"""HTTP reads of what the catalog learned from other services (datasets, evaluations)."""

from __future__ import annotations

from typing import Any

import asyncpg
from fastapi import APIRouter

from catalog_service.views import CatalogViews
from llmops_runtime.http.pagination import Page


def known_dataset_row(r: asyncpg.Record) -> dict[str, Any]:
    """A known_dataset_versions row as JSON."""
    return {
        "dataset_version_id": str(r["dataset_version_id"]),
        "name": r["name"],
        "version": r["version"],
        "approved_at": r["approved_at"] and r["approved_at"].isoformat(),
    }


def evaluation_run_row(r: asyncpg.Record) -> dict[str, Any]:
    """An evaluation_runs row as JSON."""
    return {
        "run_id": str(r["run_id"]),
        "model_version_id": str(r["model_version_id"]),
        "type": r["type"],
        "status": r["status"],
        "completed_at": r["completed_at"].isoformat(),
        "run_by": r["run_by"],
    }


def lineage_router(views: CatalogViews) -> APIRouter:
    """GET /known-dataset-versions and /evaluation-runs (the local projections)."""
    router = APIRouter(tags=["consumed"])

    @router.get("/known-dataset-versions")
    async def datasets(name: str | None = None, *, page: Page) -> dict[str, Any]:
        """A page of dataset versions seen on llmops.dataset.events."""
        return await views.known_datasets_page(page, known_dataset_row, name)

    @router.get("/evaluation-runs")
    async def evaluations(model_version_id: str | None = None, *, page: Page) -> dict[str, Any]:
        """A page of evaluation runs seen on llmops.evaluation.events."""
        return await views.evaluation_runs_page(page, evaluation_run_row, model_version_id)

    return router
