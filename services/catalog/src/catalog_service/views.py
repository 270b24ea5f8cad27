"""The catalog read model's queries: what handlers and HTTP routers read, never the raw pool."""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any
from uuid import UUID

import asyncpg
from pydantic import BaseModel

from catalog_service.domain import EvaluationSummary, GoverningPolicy
from catalog_service.domain.evaluation_summary import summarize
from llmops_runtime.governance import GovernancePolicies
from llmops_runtime.http.pagination import Keyset
from llmops_runtime.read_model_views import TableReads

# Newest first; the id breaks ties between versions created in the same microsecond.
VERSIONS = TableReads(
    "model_versions",
    Keyset.of(("created_at", "timestamptz"), ("model_version_id", "uuid"), descending=True),
    key=("model_version_id",),
    where="($1::text IS NULL OR name = $1)"
    " AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR type = $3)",
    filters={"name": str, "status": str, "type": str},
)
# Only the aliases that point at a version are listed.
ALIASES = TableReads(
    "model_aliases",
    Keyset.of(("name", "text"), ("alias", "text")),
    key=("name", "alias"),
    where="model_version_id IS NOT NULL AND ($1::text IS NULL OR name = $1)",
    filters={"name": str},
)
KNOWN_DATASETS = TableReads(
    "known_dataset_versions",
    Keyset.of(("name", "text"), ("version", "text"), ("dataset_version_id", "uuid")),
    key=("dataset_version_id",),
    where="($1::text IS NULL OR name = $1)",
    filters={"name": str},
)
EVALUATION_RUNS = TableReads(
    "evaluation_runs",
    Keyset.of(("completed_at", "timestamptz"), ("run_id", "uuid")),
    key=("run_id",),
    where="($1::text IS NULL OR model_version_id::text = $1)",
    filters={"model_version_id": str},
    columns="run_id, model_version_id, type, status, completed_at, run_by",
)


def _evaluation(row: asyncpg.Record) -> EvaluationSummary:
    return EvaluationSummary(
        run_id=str(row["run_id"]),
        model_version_id=str(row["model_version_id"]),
        type=row["type"],
        status=row["status"],
        completed_at=row["completed_at"].isoformat(),
        metrics=json.loads(row["metrics"]),
    )


class CatalogViews:
    """Reads of the projection tables in the catalog's schema: a TableReader per table."""

    def __init__(self, pool: asyncpg.Pool, schema: str) -> None:
        self._pool = pool
        self._schema = schema
        self._policies = GovernancePolicies(pool, schema)
        self.versions = VERSIONS.bound(pool, schema)
        self.aliases = ALIASES.bound(pool, schema)
        self.known_datasets = KNOWN_DATASETS.bound(pool, schema)
        self.evaluation_runs = EVALUATION_RUNS.bound(pool, schema)

    async def known_dataset_ids(self, dataset_ids: Collection[str]) -> set[str]:
        """The subset of dataset_ids whose dataset version this service has seen."""
        if not dataset_ids:
            return set()
        rows = await self._pool.fetch(
            f"SELECT dataset_version_id FROM {self._schema}.known_dataset_versions"
            " WHERE dataset_version_id = ANY($1::uuid[])",
            [UUID(d) for d in dataset_ids if _is_uuid(d)],
        )
        return {str(r["dataset_version_id"]) for r in rows}

    async def training_job_succeeded(self, training_job_id: UUID) -> bool:
        """Whether this service has seen the training service publish the job's success."""
        return bool(
            await self._pool.fetchval(
                f"SELECT EXISTS (SELECT 1 FROM {self._schema}.succeeded_training_jobs"
                " WHERE training_job_id = $1)",
                training_job_id,
            )
        )

    async def evaluations_of(self, model_version_id: str) -> list[EvaluationSummary]:
        """Every evaluation run of the model version learned so far, oldest first."""
        rows = await self._pool.fetch(
            f"SELECT * FROM {self._schema}.evaluation_runs WHERE model_version_id = $1"
            " ORDER BY completed_at",
            UUID(model_version_id),
        )
        return [_evaluation(r) for r in rows]

    async def evaluation_summary(self, model_version_id: str) -> dict[str, Any]:
        """The latest completed run of each type, as the aggregate computes it."""
        return summarize(await self.evaluations_of(model_version_id))

    async def governing_policies(self) -> list[GoverningPolicy]:
        """The active governance policies of the model scope (approval must satisfy them)."""
        return [
            GoverningPolicy(
                p.name, p.rules, p.review_overdue, p.due_at.isoformat() if p.due_at else None
            )
            for p in await self._policies.in_force("model")
        ]

    async def owner_team_of(self, command: BaseModel) -> str | None:
        """The owner team of the model version a command names (permission scoping)."""
        model_version_id = getattr(command, "model_version_id", None)
        if model_version_id is None:
            return None
        owner = await self._pool.fetchval(
            f"SELECT owner_team FROM {self._schema}.model_versions WHERE model_version_id = $1",
            model_version_id,
        )
        return str(owner) if owner is not None else None


def _is_uuid(value: str) -> bool:
    try:
        UUID(value)
    except ValueError:
        return False
    return True
