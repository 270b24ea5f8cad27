"""HTTP reads of what the catalog learned from other services (datasets, evaluations)."""

from __future__ import annotations

from typing import Any

import asyncpg
from fastapi import APIRouter

from llmops_runtime.http.pagination import KeyColumn, Keyset, Page, fetch_page

DATASETS_KEY = Keyset(
    (
        KeyColumn("name", "text", "name"),
        KeyColumn("version", "text", "version"),
        KeyColumn("dataset_version_id", "uuid", "dataset_version_id"),
    )
)
RUNS_KEY = Keyset(
    (
        KeyColumn("completed_at", "timestamptz", "completed_at"),
        KeyColumn("run_id", "uuid", "run_id"),
    )
)


def lineage_router(pool: asyncpg.Pool, schema: str) -> APIRouter:
    """GET /known-dataset-versions and /evaluation-runs (the local projections)."""
    router = APIRouter(tags=["consumed"])

    @router.get("/known-dataset-versions")
    async def datasets(name: str | None = None, *, page: Page) -> dict[str, Any]:
        """A page of dataset versions seen on llmops.dataset.events."""
        return await fetch_page(
            pool, page, DATASETS_KEY,
            select=f"SELECT * FROM {schema}.known_dataset_versions",
            where="($1::text IS NULL OR name = $1)", args=[name],
            to_json=lambda r: {
                "dataset_version_id": str(r["dataset_version_id"]),
                "name": r["name"],
                "version": r["version"],
                "approved_at": r["approved_at"] and r["approved_at"].isoformat(),
            },
        )  # fmt: skip

    @router.get("/evaluation-runs")
    async def evaluations(model_version_id: str | None = None, *, page: Page) -> dict[str, Any]:
        """A page of evaluation runs seen on llmops.evaluation.events."""
        return await fetch_page(
            pool, page, RUNS_KEY,
            select="SELECT run_id, model_version_id, type, status, completed_at, run_by"
            f" FROM {schema}.evaluation_runs",
            where="($1::text IS NULL OR model_version_id::text = $1)", args=[model_version_id],
            to_json=lambda r: {
                "run_id": str(r["run_id"]),
                "model_version_id": str(r["model_version_id"]),
                "type": r["type"],
                "status": r["status"],
                "completed_at": r["completed_at"].isoformat(),
                "run_by": r["run_by"],
            },
        )  # fmt: skip

    return router
