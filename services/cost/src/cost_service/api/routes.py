"""HTTP reads: cost profiles (by team, model, resource, window), budgets, rate cards."""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import Any

import asyncpg
from fastapi import APIRouter

from cost_service.domain import CostProfile
from cost_service.views import CostViews
from llmops_runtime.eventstore import EventStore
from llmops_runtime.http.rows import found, row_json
from llmops_runtime.http.state import state_json
from llmops_runtime.http.stream_routes import StreamRoutes
from llmops_runtime.http.table_routes import add_list_route, table_router


def profile_row(row: asyncpg.Record) -> dict[str, Any]:
    """A cost profile as JSON (amounts as decimal strings)."""
    return _decimals(row_json(row))


def budget_row(row: asyncpg.Record) -> dict[str, Any]:
    """A budget with its period's spending against its limits."""
    out = _decimals(row_json(row))
    out["remaining"] = str(row["hard_limit"] - row["spent"])
    return out


def rate_card_row(row: asyncpg.Record) -> dict[str, Any]:
    """A version of the prices."""
    return _decimals(row_json(row, json_columns=("gpu_hour_by_type",)))


def _decimals(out: dict[str, Any]) -> dict[str, Any]:
    """Amounts as decimal strings: no float rounding of money on the way out."""
    return {k: (str(v) if isinstance(v, Decimal) else v) for k, v in out.items()}


def profile_state(profile: CostProfile) -> dict[str, Any]:
    """A profile rebuilt from the store, as JSON."""
    return _decimals(state_json(
        profile, "profile_id",
        "resource_type resource_id team model_entry_id window_kind window_start window_end"
        " gpu_hours token_count replica_hours currency cost_amount billed_amount status",
    ))  # fmt: skip


def cost_routers(views: CostViews, store: EventStore) -> list[APIRouter]:
    """GET /cost-profiles[/{id}[/history]], /budgets[/{id}], /rate-cards[/{version}]."""
    profiles = APIRouter(prefix="/cost-profiles", tags=["cost profiles"])
    add_list_route(
        profiles, "", views.profiles, profile_row,
        description="Cost profiles, latest window first, by team, model, resource, window kind"
        " and window start (from, to).",
    )  # fmt: skip
    StreamRoutes(
        store, CostProfile, "cost profile", state=profile_state,
        now=functools.partial(views.profiles.one_json, profile_row),
    ).add_to(profiles, "")  # fmt: skip
    budgets = table_router("/budgets", views.budgets, what="budget", to_json=budget_row)
    cards = APIRouter(prefix="/rate-cards", tags=["rate cards"])
    add_list_route(
        cards, "", views.rate_cards, rate_card_row,
        description="The rate card's versions, newest first.",
    )  # fmt: skip

    @cards.get("/{version}", summary="One version of the rate card")
    async def card(version: int) -> dict[str, Any]:
        """The prices of a version and when it took effect."""
        return rate_card_row(found(await views.rate_cards.one(version), f"no rate card {version}"))

    return [profiles, budgets, cards]
