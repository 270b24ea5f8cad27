"""The training read model's queries: what handlers, the scheduler and HTTP routers read."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from uuid import UUID

import asyncpg
from pydantic import BaseModel

from llmops_runtime.budgets import BudgetBlock, BudgetBlocks
from llmops_runtime.http.pagination import Keyset
from llmops_runtime.read_model_views import TableReads

# Newest first; the id breaks ties between jobs submitted in the same microsecond.
JOBS = TableReads(
    "training_jobs",
    Keyset.of(("submitted_at", "timestamptz"), ("training_job_id", "uuid"), descending=True),
    key=("training_job_id",),
    where="($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR owner_team = $2)"
    " AND ($3::text IS NULL OR model_entry_id::text = $3)",
    filters={"status": str, "owner_team": str, "model_entry_id": str},
)
# A job's series: by name, then step (then attempt, so a retry's points follow the first's).
METRICS = TableReads(
    "training_metrics",
    Keyset.of(
        ("name", "text"),
        ("step", "bigint"),
        ("attempt", "bigint"),
        ("metric_batch_id", "uuid"),
        ("seq", "bigint"),
    ),
    key=("training_job_id",),
    where="training_job_id = $1 AND ($2::text IS NULL OR name = $2)",
    filters={"training_job_id": UUID, "name": str},
    columns="name, step, attempt, value, unit, recorded_at, metric_batch_id, seq",
)


class TrainingViews:
    """Reads of the training tables in the service's schema."""

    def __init__(self, pool: asyncpg.Pool, schema: str) -> None:
        self._pool = pool
        self._schema = schema
        self.jobs = JOBS.bound(pool, schema)
        self.metrics = METRICS.bound(pool, schema)
        self.budgets = BudgetBlocks(pool, schema)

    async def budget_block(
        self, team: str, model_entry_id: UUID, now: datetime
    ) -> BudgetBlock | None:
        """A budget of the team or model over its hard limit, as learned from the cost service."""
        return await self.budgets.blocking(team, model_entry_id, now)

    async def model_status(self, model_entry_id: UUID) -> str | None:
        """approved / deprecated as learned from llmops.catalog.events; None if never approved."""
        status = await self._pool.fetchval(
            f"SELECT status FROM {self._schema}.catalog_models WHERE model_entry_id = $1",
            model_entry_id,
        )
        return None if status is None else str(status)

    async def approved_dataset_ids(self, dataset_ids: Collection[UUID]) -> set[str]:
        """The subset of dataset_ids learned approved from llmops.dataset.events."""
        rows = await self._pool.fetch(
            f"SELECT dataset_version_id FROM {self._schema}.approved_datasets"
            " WHERE dataset_version_id = ANY($1::uuid[])",
            list(dataset_ids),
        )
        return {str(r["dataset_version_id"]) for r in rows}

    async def retry_override(self, training_job_id: UUID) -> int | None:
        """max_retries of the governance override approved for the job, if any."""
        value = await self._pool.fetchval(
            f"SELECT max_retries FROM {self._schema}.retry_overrides WHERE training_job_id = $1",
            training_job_id,
        )
        return None if value is None else int(value)

    async def jobs_of_scheduler(self, scheduler_id: str, status: str) -> list[UUID]:
        """Ids of the scheduler's jobs in this status, oldest first (what it runs or recovers)."""
        rows = await self._pool.fetch(
            f"SELECT training_job_id FROM {self._schema}.training_jobs"
            " WHERE scheduler_id = $1 AND status = $2 ORDER BY submitted_at LIMIT 100",
            scheduler_id, status,
        )  # fmt: skip
        return [r["training_job_id"] for r in rows]

    async def owner_team_of(self, command: BaseModel) -> str | None:
        """The owner team of the job a command names (permission scoping)."""
        job_id = getattr(command, "training_job_id", None)
        if job_id is None:
            return None
        owner = await self._pool.fetchval(
            f"SELECT owner_team FROM {self._schema}.training_jobs WHERE training_job_id = $1",
            job_id,
        )
        return None if owner is None else str(owner)
