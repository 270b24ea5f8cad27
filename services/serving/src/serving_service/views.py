"""The serving read model's queries: what handlers and HTTP routers read."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import asyncpg
from pydantic import BaseModel

from llmops_runtime.budgets import BudgetBlock, BudgetBlocks
from llmops_runtime.http.pagination import Keyset
from llmops_runtime.read_model_views import TableReads
from serving_service.domain.deployment_rules import KnownModel

ENDPOINTS = TableReads(
    "serving_endpoints",
    Keyset.of(("deployed_at", "timestamptz"), ("serving_endpoint_id", "uuid"), descending=True),
    key=("serving_endpoint_id",),
)
# What served at a time: the deployments valid then (now when as_of is not given).
DEPLOYMENTS = TableReads(
    "endpoint_deployments",
    Keyset.of(("valid_from", "timestamptz"), ("serving_endpoint_id", "uuid")),
    key=("serving_endpoint_id",),
    where="($1::text IS NULL OR environment = $1) AND (($2::timestamptz IS NULL AND valid_to"
    " IS NULL) OR (valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2)))",
    filters={"environment": str, "as_of": datetime},
)
SNAPSHOTS = TableReads(
    "observability_snapshots",
    Keyset.of(("time_bucket", "timestamptz"), ("observation_window_id", "uuid")),
    key=("observation_window_id",),
    where="serving_endpoint_id = $1 AND ($2::timestamptz IS NULL OR time_bucket >= $2)"
    " AND ($3::timestamptz IS NULL OR time_bucket < $3)",
    filters={"serving_endpoint_id": UUID, "from": datetime, "to": datetime},
)


class ServingViews:
    """Reads of the serving tables in the service's schema."""

    def __init__(self, pool: asyncpg.Pool, schema: str) -> None:
        self._pool = pool
        self._schema = schema
        self.endpoints = ENDPOINTS.bound(pool, schema)
        self.deployments = DEPLOYMENTS.bound(pool, schema)
        self.snapshots = SNAPSHOTS.bound(pool, schema)
        self.budgets = BudgetBlocks(pool, schema)

    async def budget_block(
        self, team: str, model_entry_id: UUID, now: datetime
    ) -> BudgetBlock | None:
        """A budget of the team or model over its hard limit, as learned from the cost service."""
        return await self.budgets.blocking(team, model_entry_id, now)

    async def model(self, model_entry_id: UUID) -> KnownModel | None:
        """A model version as learned from the catalog."""
        row = await self._pool.fetchrow(
            f"SELECT name, version, status FROM {self._schema}.catalog_models"
            " WHERE model_entry_id = $1",
            model_entry_id,
        )
        if row is None:
            return None
        return KnownModel(
            str(model_entry_id), row["name"] or "", row["version"] or "", row["status"]
        )

    async def alias_target(self, name: str, alias: str) -> UUID | None:
        """The version a catalog alias points at now."""
        value = await self._pool.fetchval(
            f"SELECT model_version_id FROM {self._schema}.catalog_aliases"
            " WHERE name = $1 AND alias = $2",
            name, alias,
        )  # fmt: skip
        return None if value is None else UUID(str(value))

    async def prompt_label(self, name: str, label: str) -> tuple[UUID, UUID] | None:
        """(label id, template id) of a label pointing at a template now."""
        row = await self._pool.fetchrow(
            f"SELECT prompt_label_id, prompt_template_id FROM {self._schema}.prompt_labels"
            " WHERE name = $1 AND label = $2 AND prompt_template_id IS NOT NULL",
            name, label,
        )  # fmt: skip
        return None if row is None else (row["prompt_label_id"], row["prompt_template_id"])

    async def open_windows(self, serving_endpoint_id: UUID, before: datetime) -> list[datetime]:
        """Starts of the endpoint's open buckets ended by `before` (oldest first, at most 1000)."""
        rows = await self._pool.fetch(
            f"SELECT time_bucket FROM {self._schema}.observability_snapshots"
            " WHERE serving_endpoint_id = $1 AND NOT closed"
            " AND time_bucket + make_interval(secs => bucket_seconds) <= $2"
            " ORDER BY time_bucket LIMIT 1000",
            serving_endpoint_id, before,
        )  # fmt: skip
        return [r["time_bucket"] for r in rows]

    async def owner_team_of(self, command: BaseModel) -> str | None:
        """The owner team of the endpoint a command names (permission scoping)."""
        endpoint_id = getattr(command, "serving_endpoint_id", None)
        if endpoint_id is None:
            return None
        owner = await self._pool.fetchval(
            f"SELECT owner_team FROM {self._schema}.serving_endpoints"
            " WHERE serving_endpoint_id = $1",
            endpoint_id,
        )
        return None if owner is None else str(owner)
