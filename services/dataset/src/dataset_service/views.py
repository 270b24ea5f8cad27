"""The dataset read model's queries: what the HTTP routers read, never the raw pool."""

from __future__ import annotations

import asyncpg
from pydantic import BaseModel

from llmops_runtime.governance import GovernancePolicies
from llmops_runtime.http.pagination import Keyset
from llmops_runtime.read_model_views import TableReads

# Registration order within a name; the id breaks ties so every row has one place.
VERSIONS = TableReads(
    "dataset_versions",
    Keyset.of(("name", "text"), ("registered_seq", "bigint"), ("dataset_version_id", "uuid")),
    key=("dataset_version_id",),
    where="($1::text IS NULL OR name = $1)"
    " AND ($2::text IS NULL OR pii_scan_status = $2)"
    " AND ($3::bool IS NULL OR (approved_at IS NOT NULL) = $3)"
    " AND ($4::text IS NULL OR owner_team = $4)",
    filters={"name": str, "pii_scan_status": str, "approved": bool, "owner_team": str},
)


class DatasetViews:
    """Reads of dataset_versions in the service's schema (`versions.page`, `.all`, `.one`)."""

    def __init__(self, pool: asyncpg.Pool, schema: str) -> None:
        self.versions = VERSIONS.bound(pool, schema)
        self._pool = pool
        self._schema = schema
        self._policies = GovernancePolicies(pool, schema)

    async def overdue_policies(self) -> list[tuple[str, str]]:
        """(name, due) of each active `dataset`-scope policy overdue for review."""
        return [
            (p.name, p.due_at.isoformat() if p.due_at else "its review date")
            for p in await self._policies.in_force("dataset")
            if p.review_overdue
        ]

    async def owner_team_of(self, command: BaseModel) -> str | None:
        """The owner team of the dataset version a command names (permission scoping)."""
        owner = await self._pool.fetchval(
            f"SELECT owner_team FROM {self._schema}.dataset_versions WHERE dataset_version_id = $1",
            getattr(command, "dataset_version_id", None),
        )
        return str(owner) if owner is not None else None
