"""Priced usage into cost profiles and budgets: once per source event.

Each source event (a training job's end, a serving usage bucket) is priced with the rate card
version in effect at its instant and added to the resource's hour, day and month profiles,
then to its team's and model's budgets. Profiles and budgets remember the source events they
counted, so a redelivered or replayed event changes nothing. Usage for a finalized window
goes to the next open window of the same kind, as an adjustment of the finalized one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from uuid import UUID

import asyncpg
from eventsourcing.domain import Aggregate

from cost_service.domain import Budget, CostProfile, RateCardVersion
from cost_service.domain.pricing import (
    NoRateCard,
    Priced,
    RateCard,
    card_at,
    price_serving,
    price_training,
)
from cost_service.domain.windows import WINDOW_KINDS, window_of
from cost_service.projections.streams import append, load
from llmops_runtime.eventstore.errors import ConcurrencyConflict
from llmops_runtime.eventstore.records import EventMetadata

DEFAULT_CURRENCY = "USD"
MAX_CARRIED_WINDOWS = 1_000
"""How many finalized windows a late usage may skip before it is refused (a safety bound)."""
MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class Usage:
    """What one source event used, of which resource, charged at which instant."""

    source_event_id: UUID
    resource_type: str
    resource_id: UUID
    team: str
    model_entry_id: UUID | None
    at: datetime
    gpu_hours: float = 0.0
    gpu_type: str | None = None
    tokens_in: int = 0
    tokens_out: int = 0
    replica_hours: float = 0.0

    def priced(self, cards: list[RateCard]) -> Priced | None:
        """Its price under the version in effect at its instant; None without any."""
        try:
            card = card_at(cards, self.at)
        except NoRateCard:
            return None
        if self.resource_type == "training":
            return price_training(card, self.gpu_hours, self.gpu_type)
        return price_serving(card, self.tokens_in, self.tokens_out, self.replica_hours)


async def rate_cards(conn: asyncpg.Connection, schema: str) -> list[RateCard]:
    """Every published version, 1 upwards."""
    cards: list[RateCard] = []
    while True:
        version = await load(conn, schema, RateCardVersion.id_for(len(cards) + 1), RateCardVersion)
        if version is None:
            return cards
        cards.append(version.prices)


async def record_usage(
    conn: asyncpg.Connection, schema: str, usage: Usage, metadata: EventMetadata
) -> None:
    """Add the usage to its profiles and budgets unless each already counted it.

    A budget is shared with the other usage projection and with commands: a concurrent
    append is retried on the new state (in a savepoint, so the batch stays intact).
    """
    conflict: ConcurrencyConflict | None = None
    for _ in range(MAX_ATTEMPTS):
        try:
            async with conn.transaction():
                await _record(conn, schema, usage, metadata)
            return
        except ConcurrencyConflict as exc:
            conflict = exc
    assert conflict is not None
    raise conflict


async def _record(
    conn: asyncpg.Connection, schema: str, usage: Usage, metadata: EventMetadata
) -> None:
    priced = usage.priced(await rate_cards(conn, schema))
    amount = Decimal(0) if priced is None else priced.amount
    currency = DEFAULT_CURRENCY if priced is None else priced.currency
    version = None if priced is None else priced.rate_card_version
    changed: list[Aggregate] = []
    for kind in WINDOW_KINDS:
        window, adjustment_of = window_of(kind, usage.at), None
        for _ in range(MAX_CARRIED_WINDOWS):
            pid = CostProfile.id_for(usage.resource_id, window)
            profile = await load(conn, schema, pid, CostProfile) or CostProfile.open(
                usage.resource_type, usage.resource_id, usage.team, usage.model_entry_id,
                window, currency,
            )  # fmt: skip
            if usage.source_event_id in profile.counted:
                break
            if profile.status == "finalized":
                adjustment_of = adjustment_of or pid
                window = window.next()
                continue
            profile.add_usage(
                usage.source_event_id, gpu_hours=usage.gpu_hours,
                token_count=usage.tokens_in + usage.tokens_out,
                replica_hours=usage.replica_hours, cost_amount=amount,
                rate_card_version=version, currency=currency, adjustment_of=adjustment_of,
            )  # fmt: skip
            changed.append(profile)
            break
    for budget_id in _budget_ids(usage):
        budget = await load(conn, schema, budget_id, Budget)
        if budget is None or budget.currency != currency or amount == 0:
            continue
        if usage.source_event_id not in budget.counted:
            budget.record_spend(usage.source_event_id, amount, usage.at)
            changed.append(budget)
    await append(conn, schema, changed, metadata)


def _budget_ids(usage: Usage) -> list[UUID]:
    ids = [Budget.id_for("team", usage.team)]
    if usage.model_entry_id is not None:
        ids.append(Budget.id_for("model", str(usage.model_entry_id)))
    return ids
