"""The governance read model's queries: what the routers and the review clock read."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import asyncpg

from llmops_runtime.http.pagination import KeyColumn, Keyset, PageRequest, fetch_page

ToJson = Callable[[asyncpg.Record], dict[str, Any]]

BINDINGS_KEY = Keyset(
    (
        KeyColumn("subject", "text", "subject"),
        KeyColumn("role", "text", "role"),
        KeyColumn("role_binding_id", "uuid", "role_binding_id"),
    )
)
_BINDINGS_WHERE = (
    "($1::text IS NULL OR subject = $1)"
    " AND ($2::text IS NULL OR role = $2)"
    " AND ($3::bool IS NULL OR active = $3)"
)
POLICIES_KEY = Keyset(
    (KeyColumn("name", "text", "name"), KeyColumn("policy_id", "uuid", "policy_id"))
)
_POLICIES_WHERE = "($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR scope = $2)"
VIOLATIONS_KEY = Keyset(
    (KeyColumn("position", "bigint", "position"), KeyColumn("violation_id", "uuid", "violation_id"))
)
_VIOLATIONS_WHERE = (
    "($1::uuid IS NULL OR resource_id = $1) AND ($2::uuid IS NULL OR policy_id = $2)"
)
# Active, not yet overdue, and past the clock: from the last review, or from going in force.
_DUE = (
    "status = 'active' AND NOT review_overdue"
    " AND coalesce(last_reviewed_at, in_force_since) + $2::interval <= $1"
)


class GovernanceViews:
    """Reads of the governance tables in the service's schema."""

    def __init__(self, pool: asyncpg.Pool, schema: str) -> None:
        self._pool = pool
        self._schema = schema

    def _from(self, table: str) -> str:
        return f"SELECT * FROM {self._schema}.{table}"

    async def role_bindings_page(
        self, page: PageRequest, to_json: ToJson,
        subject: str | None, role: str | None, active: bool | None,
    ) -> dict[str, Any]:  # fmt: skip
        """One page of role bindings by subject and role, each filter ignored when None."""
        return await fetch_page(
            self._pool, page, BINDINGS_KEY, select=self._from("role_bindings"),
            where=_BINDINGS_WHERE, args=[subject, role, active], to_json=to_json,
        )  # fmt: skip

    async def role_binding(self, role_binding_id: UUID) -> asyncpg.Record | None:
        """One binding's row, or None."""
        return await self._pool.fetchrow(
            f"{self._from('role_bindings')} WHERE role_binding_id = $1", role_binding_id
        )

    async def policies_page(
        self, page: PageRequest, to_json: ToJson, status: str | None, scope: str | None
    ) -> dict[str, Any]:
        """One page of policies by name, each filter ignored when None."""
        return await fetch_page(
            self._pool, page, POLICIES_KEY, select=self._from("policies"),
            where=_POLICIES_WHERE, args=[status, scope], to_json=to_json,
        )  # fmt: skip

    async def policy(self, policy_id: UUID) -> asyncpg.Record | None:
        """One policy's row, or None."""
        return await self._pool.fetchrow(
            f"{self._from('policies')} WHERE policy_id = $1", policy_id
        )

    async def policy_reviews(self, policy_id: UUID) -> list[asyncpg.Record]:
        """A policy's reviews, oldest first."""
        return list(
            await self._pool.fetch(
                f"{self._from('policy_reviews')} WHERE policy_id = $1 ORDER BY position",
                policy_id,
            )
        )

    async def violations_page(
        self, page: PageRequest, to_json: ToJson, resource_id: UUID | None, policy_id: UUID | None
    ) -> dict[str, Any]:
        """One page of violations in recording order, each filter ignored when None."""
        return await fetch_page(
            self._pool, page, VIOLATIONS_KEY, select=self._from("policy_violations"),
            where=_VIOLATIONS_WHERE, args=[resource_id, policy_id], to_json=to_json,
        )  # fmt: skip

    async def due_policies(self, now: datetime, period: timedelta) -> list[UUID]:
        """Ids of active, not-overdue policies whose review is due by `now`."""
        rows = await self._pool.fetch(
            f"SELECT policy_id FROM {self._schema}.policies WHERE {_DUE} ORDER BY policy_id",
            now, period,
        )  # fmt: skip
        return [r["policy_id"] for r in rows]
