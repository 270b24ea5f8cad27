"""The evaluation read model's queries: what handlers, the worker and HTTP routers read."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import asyncpg

from evaluation_service.domain import BenchmarkSnapshot
from llmops_runtime.http.pagination import Keyset
from llmops_runtime.read_model_views import TableReads

# Newest first; the id breaks ties so every row has one place.
RUNS = TableReads(
    "evaluation_runs",
    Keyset.of(("created_at", "timestamptz"), ("run_id", "uuid"), descending=True),
    key=("run_id",),
    where="($1::uuid IS NULL OR model_version_id = $1)"
    " AND ($2::uuid IS NULL OR dataset_version_id = $2)"
    " AND ($3::text IS NULL OR type = $3)"
    " AND ($4::text IS NULL OR status = $4)",
    filters={"model_version_id": UUID, "dataset_version_id": UUID, "type": str, "status": str},
)
ITEMS = TableReads(
    "evaluation_items",
    Keyset.of(("item_id", "text"), ("scorer", "text")),
    key=("run_id", "item_id", "scorer"),
    where="run_id = $1",
    filters={"run_id": UUID},
)
SCORE_BATCH = 50


class EvaluationViews:
    """Reads of the runs, their items and the benchmark snapshots in the service's schema."""

    def __init__(self, pool: asyncpg.Pool, schema: str) -> None:
        self.runs = RUNS.bound(pool, schema)
        self.items = ITEMS.bound(pool, schema)
        self._pool = pool
        self._schema = schema

    async def benchmark(self, dataset_version_id: UUID) -> BenchmarkSnapshot | None:
        """What is known of the dataset version (None: never seen)."""
        row = await self._pool.fetchrow(
            f"SELECT storage_uri, approved_at FROM {self._schema}.benchmark_datasets"
            " WHERE dataset_version_id = $1",
            dataset_version_id,
        )
        if row is None:
            return None
        approved = row["approved_at"] is not None
        return BenchmarkSnapshot(str(dataset_version_id), row["storage_uri"], approved)

    async def runs_to_score(self, stale_before: datetime) -> list[UUID]:
        """Queued automated runs, and running ones claimed before `stale_before` (the claim's
        own time, as the aggregate judges it), oldest first."""
        rows = await self._pool.fetch(
            f"SELECT run_id FROM {self._schema}.evaluation_runs WHERE type = 'automated'"
            " AND (status = 'queued' OR (status = 'running' AND started_at < $1))"
            " ORDER BY created_at LIMIT $2",
            stale_before,
            SCORE_BATCH,
        )
        return [r["run_id"] for r in rows]
