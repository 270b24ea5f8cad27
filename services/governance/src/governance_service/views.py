"""The governance read model's queries: what the routers and the review clock read."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

import asyncpg

from llmops_runtime.http.pagination import Keyset
from llmops_runtime.read_model_views import TableReads

ROLE_BINDINGS = TableReads(
    "role_bindings",
    Keyset.of(("subject", "text"), ("role", "text"), ("role_binding_id", "uuid")),
    key=("role_binding_id",),
    where="($1::text IS NULL OR subject = $1) AND ($2::text IS NULL OR role = $2)"
    " AND ($3::bool IS NULL OR active = $3)",
    filters={"subject": str, "role": str, "active": bool},
)
POLICIES = TableReads(
    "policies",
    Keyset.of(("name", "text"), ("policy_id", "uuid")),
    key=("policy_id",),
    where="($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR scope = $2)",
    filters={"status": str, "scope": str},
)
# In recording order.
VIOLATIONS = TableReads(
    "policy_violations",
    Keyset.of(("position", "bigint"), ("violation_id", "uuid")),
    key=("violation_id",),
    where="($1::uuid IS NULL OR resource_id = $1) AND ($2::uuid IS NULL OR policy_id = $2)",
    filters={"resource_id": UUID, "policy_id": UUID},
)
RETRY_OVERRIDES = TableReads(
    "retry_overrides",
    Keyset.of(("override_id", "uuid")),
    key=("override_id",),
    where="($1::uuid IS NULL OR training_job_id = $1)",
    filters={"training_job_id": UUID},
)
# Active, not yet overdue, and past the clock: from the last review, or from going in force.
_DUE = (
    "status = 'active' AND NOT review_overdue"
    " AND coalesce(last_reviewed_at, in_force_since) + $2::interval <= $1"
)


class GovernanceViews:
    """Reads of the governance tables in the service's schema: a TableReader per table."""

    def __init__(self, pool: asyncpg.Pool, schema: str) -> None:
        self._pool = pool
        self._schema = schema
        self.role_bindings = ROLE_BINDINGS.bound(pool, schema)
        self.policies = POLICIES.bound(pool, schema)
        self.violations = VIOLATIONS.bound(pool, schema)
        self.retry_overrides = RETRY_OVERRIDES.bound(pool, schema)

    async def policy_reviews(self, policy_id: UUID) -> list[asyncpg.Record]:
        """A policy's reviews, oldest first."""
        return list(
            await self._pool.fetch(
                f"SELECT * FROM {self._schema}.policy_reviews WHERE policy_id = $1"
                " ORDER BY position",
                policy_id,
            )
        )

    async def due_policies(self, now: datetime, period: timedelta) -> list[UUID]:
        """Ids of active, not-overdue policies whose review is due by `now`."""
        rows = await self._pool.fetch(
            f"SELECT policy_id FROM {self._schema}.policies WHERE {_DUE} ORDER BY policy_id",
            now, period,
        )  # fmt: skip
        return [r["policy_id"] for r in rows]
