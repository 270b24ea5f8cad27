"""HTTP reads of what the catalog learned from other services (datasets, evaluations)."""

from __future__ import annotations

from typing import Any

import asyncpg
from fastapi import APIRouter


def lineage_router(pool: asyncpg.Pool, schema: str) -> APIRouter:
    """GET /known-dataset-versions and /evaluation-runs (the local projections)."""
    router = APIRouter(tags=["consumed"])

    @router.get("/known-dataset-versions")
    async def datasets(name: str | None = None) -> list[dict[str, Any]]:
        """Dataset versions seen on llmops.dataset.events."""
        rows = await pool.fetch(
            f"SELECT * FROM {schema}.known_dataset_versions WHERE ($1::text IS NULL OR name = $1)"
            " ORDER BY name, version",
            name,
        )
        return [
            {
                "dataset_version_id": str(r["dataset_version_id"]),
                "name": r["name"],
                "version": r["version"],
                "approved_at": r["approved_at"] and r["approved_at"].isoformat(),
            }
            for r in rows
        ]

    @router.get("/evaluation-runs")
    async def evaluations(model_version_id: str | None = None) -> list[dict[str, Any]]:
        """Evaluation runs seen on llmops.evaluation.events."""
        rows = await pool.fetch(
            f"SELECT run_id, model_version_id, type, status, metrics::text, completed_at, run_by"
            f" FROM {schema}.evaluation_runs"
            " WHERE ($1::text IS NULL OR model_version_id::text = $1) ORDER BY completed_at",
            model_version_id,
        )
        return [
            {
                "run_id": str(r["run_id"]),
                "model_version_id": str(r["model_version_id"]),
                "type": r["type"],
                "status": r["status"],
                "completed_at": r["completed_at"].isoformat(),
                "run_by": r["run_by"],
            }
            for r in rows
        ]

    return router
