"""The catalog read model's queries: what handlers and HTTP routers read, never the raw pool."""

from __future__ import annotations

import json
from collections.abc import Callable, Collection
from typing import Any
from uuid import UUID

import asyncpg
from pydantic import BaseModel

from catalog_service.domain import EvaluationSummary, GoverningPolicy
from catalog_service.domain.evaluation_summary import summarize
from llmops_runtime.governance import GovernancePolicies
from llmops_runtime.http.pagination import KeyColumn, Keyset, PageRequest, fetch_page

# Newest first; the id breaks ties between versions created in the same microsecond.
VERSIONS_KEY = Keyset(
    (
        KeyColumn("created_at", "timestamptz", "created_at"),
        KeyColumn("model_version_id", "uuid", "model_version_id"),
    ),
    descending=True,
)
ALIASES_KEY = Keyset((KeyColumn("name", "text", "name"), KeyColumn("alias", "text", "alias")))
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

ToJson = Callable[[asyncpg.Record], dict[str, Any]]


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
    """Reads of the projection tables in the catalog's schema."""

    def __init__(self, pool: asyncpg.Pool, schema: str) -> None:
        self._pool = pool
        self._schema = schema
        self._policies = GovernancePolicies(pool, schema)

    async def versions_page(
        self,
        page: PageRequest,
        to_json: ToJson,
        name: str | None,
        status: str | None,
        type: str | None,
    ) -> dict[str, Any]:
        """One page of model versions (keyset `VERSIONS_KEY`), each filter ignored when None."""
        return await fetch_page(
            self._pool, page, VERSIONS_KEY,
            select=f"SELECT * FROM {self._schema}.model_versions",
            where="($1::text IS NULL OR name = $1)"
            " AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR type = $3)",
            args=[name, status, type], to_json=to_json,
        )  # fmt: skip

    async def version(self, model_version_id: UUID) -> asyncpg.Record | None:
        """One model version's row, or None."""
        return await self._pool.fetchrow(
            f"SELECT * FROM {self._schema}.model_versions WHERE model_version_id = $1",
            model_version_id,
        )

    async def aliases_page(
        self, page: PageRequest, to_json: ToJson, name: str | None
    ) -> dict[str, Any]:
        """One page of the aliases that point at a version (keyset `ALIASES_KEY`)."""
        return await fetch_page(
            self._pool, page, ALIASES_KEY,
            select=f"SELECT * FROM {self._schema}.model_aliases",
            where="model_version_id IS NOT NULL AND ($1::text IS NULL OR name = $1)",
            args=[name], to_json=to_json,
        )  # fmt: skip

    async def alias(self, name: str, alias: str) -> asyncpg.Record | None:
        """One alias's row, or None."""
        return await self._pool.fetchrow(
            f"SELECT * FROM {self._schema}.model_aliases WHERE name = $1 AND alias = $2",
            name,
            alias,
        )

    async def known_datasets_page(
        self, page: PageRequest, to_json: ToJson, name: str | None
    ) -> dict[str, Any]:
        """One page of the dataset versions seen (keyset `DATASETS_KEY`)."""
        return await fetch_page(
            self._pool, page, DATASETS_KEY,
            select=f"SELECT * FROM {self._schema}.known_dataset_versions",
            where="($1::text IS NULL OR name = $1)", args=[name], to_json=to_json,
        )  # fmt: skip

    async def evaluation_runs_page(
        self, page: PageRequest, to_json: ToJson, model_version_id: str | None
    ) -> dict[str, Any]:
        """One page of the evaluation runs seen (keyset `RUNS_KEY`)."""
        return await fetch_page(
            self._pool, page, RUNS_KEY,
            select="SELECT run_id, model_version_id, type, status, completed_at, run_by"
            f" FROM {self._schema}.evaluation_runs",
            where="($1::text IS NULL OR model_version_id::text = $1)", args=[model_version_id],
            to_json=to_json,
        )  # fmt: skip

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
