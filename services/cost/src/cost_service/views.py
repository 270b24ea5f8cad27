"""The cost read model's queries: what handlers and the HTTP routers read."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import asyncpg

from llmops_runtime.http.pagination import Keyset
from llmops_runtime.read_model_views import TableReads

PROFILES = TableReads(
    "cost_profiles",
    Keyset.of(("window_start", "timestamptz"), ("profile_id", "uuid"), descending=True),
    key=("profile_id",),
    where="($1::text IS NULL OR team = $1) AND ($2::text IS NULL OR model_entry_id::text = $2)"
    " AND ($3::text IS NULL OR resource_id::text = $3) AND ($4::text IS NULL OR window_kind = $4)"
    " AND ($5::text IS NULL OR resource_type = $5) AND ($6::text IS NULL OR status = $6)"
    " AND ($7::timestamptz IS NULL OR window_start >= $7)"
    " AND ($8::timestamptz IS NULL OR window_start < $8)",
    filters={
        "team": str, "model_entry_id": str, "resource_id": str, "window_kind": str,
        "resource_type": str, "status": str, "from": datetime, "to": datetime,
    },
)  # fmt: skip
BUDGETS = TableReads(
    "budgets",
    Keyset.of(("scope", "text"), ("budget_id", "uuid")),
    key=("budget_id",),
    where="($1::text IS NULL OR team = $1) AND ($2::text IS NULL OR model_entry_id::text = $2)",
    filters={"team": str, "model_entry_id": str},
)
RATE_CARDS = TableReads(
    "rate_cards", Keyset.of(("version", "bigint"), descending=True), key=("version",)
)


class CostViews:
    """Reads of the cost tables in the service's schema."""

    def __init__(self, pool: asyncpg.Pool, schema: str) -> None:
        self._pool = pool
        self._schema = schema
        self.profiles = PROFILES.bound(pool, schema)
        self.budgets = BUDGETS.bound(pool, schema)
        self.rate_cards = RATE_CARDS.bound(pool, schema)

    async def month_spend(
        self, scope: str, key: str, month_start: datetime, currency: str
    ) -> Decimal:
        """The priced month profiles of a team or model so far (as projected)."""
        column = "team" if scope == "team" else "model_entry_id::text"
        value = await self._pool.fetchval(
            f"SELECT coalesce(sum(cost_amount), 0) FROM {self._schema}.cost_profiles"
            f" WHERE {column} = $1 AND window_kind = 'month' AND window_start = $2"
            " AND cost_currency = $3",
            key, month_start, currency,
        )  # fmt: skip
        return Decimal(value)
