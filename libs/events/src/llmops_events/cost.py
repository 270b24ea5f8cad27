"""Contracts of the cost service: rate cards, budgets, cost profiles and billing feeds.

The service prices what the training service (`training.job.succeeded` / `.failed` /
`.cancelled`, their GPU hours) and the serving service (`serving.usage.recorded`, tokens and
replica hours) report into cost profiles per resource and hour, day and month window. Its
budget events (`cost.budget.*`) are what other services project to refuse work of a team
over its hard limit (`llmops_runtime.budgets`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from pydantic import AwareDatetime, Field

from llmops_events.base import CommandContract, EventContract, Name, Text

ResourceType = Literal["training", "serving"]
WindowKind = Literal["hour", "day", "month"]
BudgetScope = Literal["team", "model"]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
# Prices and amounts: at most 12 integer digits and 6 decimals; limits and prices non-negative.
Amount = Annotated[Decimal, Field(max_digits=18, decimal_places=6, allow_inf_nan=False)]
Price = Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=6, allow_inf_nan=False)]
MAX_GPU_TYPES = 50
MAX_FEED_CHARS = 900_000
"""A billing feed travels inside one command, below the 1 MiB command limit."""
MAX_FEED_LINES = 5_000
"""Charge lines per feed (each reconciles a profile in the same append)."""


# --- events -------------------------------------------------------------------------------


class RateCardPublished(EventContract):
    """A new version of the prices; it supersedes the previous one from `effective_from`."""

    WIRE_NAME = "cost.rate_card.published"
    rate_card_id: UUID  # this version's id
    version: int = Field(ge=1)
    currency: Currency
    effective_from: AwareDatetime
    gpu_hour_default: Price
    gpu_hour_by_type: dict[Name, Price] = Field(max_length=MAX_GPU_TYPES)
    per_1k_input_tokens: Price
    per_1k_output_tokens: Price
    per_replica_hour: Price
    published_by: Name


class BudgetSet(EventContract):
    """A monthly budget of a team or of a model was set or its limits changed."""

    WIRE_NAME = "cost.budget.set"
    budget_id: UUID
    scope: BudgetScope
    team: Name | None
    model_entry_id: UUID | None
    period: Literal["month"]
    currency: Currency
    soft_limit: Price
    hard_limit: Price
    period_start: AwareDatetime
    period_end: AwareDatetime
    spent: Amount
    set_by: Name


class BudgetLimitsChanged(EventContract):
    """New limits of a budget (its scope and currency stay)."""

    WIRE_NAME = "cost.budget.limits_changed"
    budget_id: UUID
    soft_limit: Price
    hard_limit: Price
    set_by: Name


class BudgetSpendRecorded(EventContract):
    """Priced usage counted against the budget's period (internal: the budget's running sum)."""

    WIRE_NAME = "cost.budget.spend_recorded"
    budget_id: UUID
    source_event_id: UUID
    period_start: AwareDatetime
    period_end: AwareDatetime
    amount: Amount


class _BudgetStateChanged(EventContract):
    """What every budget announcement carries: whose budget, which period, spent vs limits."""

    budget_id: UUID
    scope: BudgetScope
    team: Name | None
    model_entry_id: UUID | None
    period_start: AwareDatetime
    period_end: AwareDatetime
    currency: Currency
    spent: Amount
    soft_limit: Price
    hard_limit: Price


class BudgetSoftLimitCrossed(_BudgetStateChanged):
    """Spending in the period reached the soft limit: an alert."""

    WIRE_NAME = "cost.budget.soft_limit_crossed"


class BudgetHardLimitExceeded(_BudgetStateChanged):
    """Spending in the period exceeded the hard limit: new work of the scope is refused."""

    WIRE_NAME = "cost.budget.hard_limit_exceeded"


class BudgetCleared(_BudgetStateChanged):
    """Back under a limit (a raised limit or a new period); `state` is the state now."""

    WIRE_NAME = "cost.budget.cleared"
    state: Literal["under", "soft"]


class CostProfileOpened(EventContract):
    """The first usage of a resource in a window opened its profile."""

    WIRE_NAME = "cost.profile.opened"
    profile_id: UUID
    resource_type: ResourceType
    resource_id: UUID
    team: Name
    model_entry_id: UUID | None
    window_kind: WindowKind
    window_start: AwareDatetime
    window_end: AwareDatetime
    currency: Currency


class CostProfileUsageAdded(EventContract):
    """A source event's usage, priced by a rate card version (None: no card in effect).

    `adjustment_of` names the finalized profile whose window the usage belongs to when it
    arrived too late and is carried into this (the next) window instead.
    """

    WIRE_NAME = "cost.profile.usage_added"
    profile_id: UUID
    source_event_id: UUID
    gpu_hours: float = Field(ge=0)
    token_count: int = Field(ge=0)
    replica_hours: float = Field(ge=0)
    cost_amount: Amount
    rate_card_version: int | None
    adjustment_of: UUID | None = None


class CostProfileReconciled(EventContract):
    """A billing feed's lines for the profile, their billed amount and the variance."""

    WIRE_NAME = "cost.profile.reconciled"
    profile_id: UUID
    billing_feed_id: UUID
    billed_amount: Amount
    variance_amount: Amount
    within_tolerance: bool
    reconciled_by: Name


class CostProfileFinalized(EventContract):
    """The profile is final: it never changes again (late usage goes to the next window)."""

    WIRE_NAME = "cost.profile.finalized"
    profile_id: UUID
    cost_amount: Amount
    billed_amount: Amount
    variance_amount: Amount
    adjustment_reason: Text | None
    finalized_by: Name


class BillingFeedImported(EventContract):
    """A billing feed whose every line matched a profile; the profiles it reconciled."""

    WIRE_NAME = "cost.billing_feed.imported"
    billing_feed_id: UUID
    name: Name
    lines: int = Field(ge=0)
    profile_ids: list[UUID] = Field(max_length=MAX_FEED_LINES)
    imported_by: Name


# --- commands -----------------------------------------------------------------------------


class PublishRateCard(CommandContract):
    """Publish the next version of the prices (effective now, or from a later instant)."""

    WIRE_NAME = "cost.publish_rate_card"
    currency: Currency = "USD"
    effective_from: AwareDatetime | None = None
    gpu_hour_default: Price
    gpu_hour_by_type: dict[Name, Price] = Field(default_factory=dict, max_length=MAX_GPU_TYPES)
    per_1k_input_tokens: Price = Decimal(0)
    per_1k_output_tokens: Price = Decimal(0)
    per_replica_hour: Price = Decimal(0)


class SetBudget(CommandContract):
    """Set the monthly budget of a team (team) or of a model (model_entry_id)."""

    WIRE_NAME = "cost.set_budget"
    scope: BudgetScope
    team: Name | None = None
    model_entry_id: UUID | None = None
    currency: Currency = "USD"
    soft_limit: Price
    hard_limit: Price


class ImportBillingFeed(CommandContract):
    """A FOCUS 1.x CSV feed: every line matched and reconciled, or the feed refused whole.

    `finalize` also finalizes each reconciled profile whose variance is within tolerance.
    """

    WIRE_NAME = "cost.import_billing_feed"
    name: Name
    content: Annotated[str, Field(max_length=MAX_FEED_CHARS)]
    finalize: bool = False


class FinalizeCostProfile(CommandContract):
    """Finalize a reconciled profile (within tolerance, or with an explained adjustment)."""

    WIRE_NAME = "cost.finalize_profile"
    profile_id: UUID
    adjustment_reason: Text | None = None


EVENTS: tuple[type[EventContract], ...] = (
    RateCardPublished, BudgetSet, BudgetLimitsChanged, BudgetSpendRecorded,
    BudgetSoftLimitCrossed, BudgetHardLimitExceeded,
    BudgetCleared, CostProfileOpened, CostProfileUsageAdded, CostProfileReconciled,
    CostProfileFinalized, BillingFeedImported,
)  # fmt: skip
PUBLISHED: tuple[type[EventContract], ...] = tuple(
    e for e in EVENTS if e is not BudgetSpendRecorded
)
COMMANDS: tuple[type[CommandContract], ...] = (
    PublishRateCard, SetBudget, ImportBillingFeed, FinalizeCostProfile,
)  # fmt: skip
