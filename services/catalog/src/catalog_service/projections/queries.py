"""The catalog's read model over its projection tables, for handlers and the HTTP API."""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any
from uuid import UUID

import asyncpg

from catalog_service.domain import EvaluationSummary
from catalog_service.domain.evaluation_summary import summarize


def _evaluation(row: asyncpg.Record) -> EvaluationSummary:
    return EvaluationSummary(
        run_id=str(row["run_id"]),
        model_version_id=str(row["model_version_id"]),
        type=row["type"],
        status=row["status"],
        completed_at=row["completed_at"].isoformat(),
        metrics=json.loads(row["metrics"]),
    )


class PostgresCatalogReadModel:
    """Reads the projection tables in the catalog's schema."""

    def __init__(self, pool: asyncpg.Pool, schema: str) -> None:
        self.pool = pool
        self.schema = schema

    async def known_dataset_ids(self, dataset_ids: Collection[str]) -> set[str]:
        """The subset of dataset_ids whose dataset version this service has seen."""
        if not dataset_ids:
            return set()
        rows = await self.pool.fetch(
            f"SELECT dataset_version_id FROM {self.schema}.known_dataset_versions"
            " WHERE dataset_version_id = ANY($1::uuid[])",
            [UUID(d) for d in dataset_ids if _is_uuid(d)],
        )
        return {str(r["dataset_version_id"]) for r in rows}

    async def evaluations_of(self, model_version_id: str) -> list[EvaluationSummary]:
        """Every evaluation run of the model version learned so far, oldest first."""
        rows = await self.pool.fetch(
            f"SELECT * FROM {self.schema}.evaluation_runs WHERE model_version_id = $1"
            " ORDER BY completed_at",
            UUID(model_version_id),
        )
        return [_evaluation(r) for r in rows]

    async def evaluation_summary(self, model_version_id: str) -> dict[str, Any]:
        """The latest completed run of each type, as the aggregate computes it."""
        return summarize(await self.evaluations_of(model_version_id))


def _is_uuid(value: str) -> bool:
    try:
        UUID(value)
    except ValueError:
        return False
    return True
