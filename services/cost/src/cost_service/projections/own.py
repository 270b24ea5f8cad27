"""The cost service's own events into its read tables."""

from __future__ import annotations

import json
from decimal import Decimal

from llmops_events import cost as contracts
from llmops_runtime.projections.projector import Projector
from llmops_runtime.projections.rows import Rows
from llmops_runtime.relay.envelope import EventEnvelope

projector = Projector()


@projector.on(contracts.RateCardPublished)
async def rate_card_published(
    rows: Rows, e: contracts.RateCardPublished, env: EventEnvelope
) -> None:
    """A version of the prices."""
    row = e.model_dump(exclude={"rate_card_id", "gpu_hour_by_type"})
    row["gpu_hour_by_type"] = json.dumps(e.model_dump(mode="json")["gpu_hour_by_type"])
    await rows.insert(
        "rate_cards", row | {"published_at": env.committed_at}, on_conflict=("version",)
    )


@projector.on(contracts.BudgetSet)
async def budget_set(rows: Rows, e: contracts.BudgetSet, env: EventEnvelope) -> None:
    """A new budget, under its limits until an announcement says otherwise."""
    row = e.model_dump(exclude={"period", "set_by"})
    await rows.insert(
        "budgets", row | {"state": "under", "updated_at": env.committed_at},
        on_conflict=("budget_id",),
    )  # fmt: skip


@projector.on(contracts.BudgetLimitsChanged)
async def limits_changed(rows: Rows, e: contracts.BudgetLimitsChanged, env: EventEnvelope) -> None:
    """New limits."""
    values = {"soft_limit": e.soft_limit, "hard_limit": e.hard_limit}
    await rows.update(
        "budgets", {"budget_id": e.budget_id}, values | {"updated_at": env.committed_at}
    )


@projector.on(contracts.BudgetSpendRecorded)
async def spend_recorded(rows: Rows, e: contracts.BudgetSpendRecorded, env: EventEnvelope) -> None:
    """The period's spending grows; a later period starts again from this amount."""
    await rows.conn.execute(
        f"UPDATE {rows.schema}.budgets SET"
        " spent = CASE WHEN period_start = $2 THEN spent + $3 ELSE $3 END,"
        " period_start = $2, period_end = $4, updated_at = $5 WHERE budget_id = $1",
        e.budget_id, e.period_start, e.amount, e.period_end, env.committed_at,
    )  # fmt: skip


async def _budget_state(rows: Rows, budget_id: object, state: str, env: EventEnvelope) -> None:
    await rows.update(
        "budgets", {"budget_id": budget_id}, {"state": state, "updated_at": env.committed_at}
    )


@projector.on(contracts.BudgetSoftLimitCrossed)
async def soft_crossed(rows: Rows, e: contracts.BudgetSoftLimitCrossed, env: EventEnvelope) -> None:
    """At or over the soft limit."""
    await _budget_state(rows, e.budget_id, "soft", env)


@projector.on(contracts.BudgetHardLimitExceeded)
async def hard_exceeded(
    rows: Rows, e: contracts.BudgetHardLimitExceeded, env: EventEnvelope
) -> None:
    """Over the hard limit."""
    await _budget_state(rows, e.budget_id, "hard", env)


@projector.on(contracts.BudgetCleared)
async def cleared(rows: Rows, e: contracts.BudgetCleared, env: EventEnvelope) -> None:
    """Back under a limit."""
    await _budget_state(rows, e.budget_id, e.state, env)


@projector.on(contracts.CostProfileOpened)
async def profile_opened(rows: Rows, e: contracts.CostProfileOpened, env: EventEnvelope) -> None:
    """An empty profile."""
    row = e.model_dump(exclude={"currency"}) | {"cost_currency": e.currency, "status": "open"}
    await rows.insert(
        "cost_profiles", row | {"updated_at": env.committed_at}, on_conflict=("profile_id",)
    )


@projector.on(contracts.CostProfileUsageAdded)
async def usage_added(rows: Rows, e: contracts.CostProfileUsageAdded, env: EventEnvelope) -> None:
    """More usage; a reconciled profile is open again and its variance follows the cost."""
    adjustment = e.cost_amount if e.adjustment_of is not None else Decimal(0)
    await rows.conn.execute(
        f"UPDATE {rows.schema}.cost_profiles SET gpu_hours = gpu_hours + $2,"
        " token_count = token_count + $3, replica_hours = replica_hours + $4,"
        " cost_amount = cost_amount + $5, adjustment_amount = adjustment_amount + $6,"
        " budget_variance = billed_amount - (cost_amount + $5),"
        " rate_card_versions = CASE WHEN $7::int IS NULL OR $7 = ANY(rate_card_versions)"
        " THEN rate_card_versions ELSE rate_card_versions || $7::int END,"
        " status = 'open', updated_at = $8 WHERE profile_id = $1",
        e.profile_id, e.gpu_hours, e.token_count, e.replica_hours, e.cost_amount, adjustment,
        e.rate_card_version, env.committed_at,
    )  # fmt: skip


@projector.on(contracts.CostProfileReconciled)
async def reconciled(rows: Rows, e: contracts.CostProfileReconciled, env: EventEnvelope) -> None:
    """Billed, with its variance."""
    values = {
        "billed_amount": e.billed_amount, "budget_variance": e.variance_amount,
        "within_tolerance": e.within_tolerance, "status": "reconciled",
        "updated_at": env.committed_at,
    }  # fmt: skip
    await rows.update("cost_profiles", {"profile_id": e.profile_id}, values)


@projector.on(contracts.CostProfileFinalized)
async def finalized(rows: Rows, e: contracts.CostProfileFinalized, env: EventEnvelope) -> None:
    """Final."""
    values = {
        "status": "finalized", "adjustment_reason": e.adjustment_reason,
        "updated_at": env.committed_at,
    }  # fmt: skip
    await rows.update("cost_profiles", {"profile_id": e.profile_id}, values)


@projector.on(contracts.BillingFeedImported)
async def feed_imported(rows: Rows, e: contracts.BillingFeedImported, env: EventEnvelope) -> None:
    """A feed and how many profiles it reconciled."""
    row = {
        "billing_feed_id": e.billing_feed_id, "name": e.name, "lines": e.lines,
        "profiles": len(e.profile_ids), "imported_by": e.imported_by,
        "imported_at": env.committed_at,
    }  # fmt: skip
    await rows.insert("billing_feeds", row, on_conflict=("billing_feed_id",))
