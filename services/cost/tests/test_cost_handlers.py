"""The cost handlers, through the command registry, without Kafka or PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from cost_service.application import build_registry
from cost_service.domain import AGGREGATES, BillingFeed, Budget, CostProfile, RateCardVersion
from cost_service.domain.errors import ProfileFinalized
from cost_service.domain.windows import window_of
from llmops_runtime.commands import CommandRejected
from llmops_testing import InMemoryHandlerContext, check_rebuilds_to, check_scenario

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
MONTH = window_of("month", NOW)
TOLERANCE = Decimal("0.01")
HEADER = "BilledCost,EffectiveCost,BillingCurrency,ChargePeriodStart,ChargePeriodEnd,ResourceId\n"


class Spend:
    """The read model: what a team's month profiles add up to so far."""

    def __init__(self, spent: Decimal = Decimal(0)) -> None:
        self.spent = spent

    async def month_spend(
        self, scope: str, key: str, month_start: datetime, currency: str
    ) -> Decimal:
        return self.spent


def context(spent: Decimal = Decimal(0)) -> InMemoryHandlerContext:
    return InMemoryHandlerContext(build_registry(Spend(spent), TOLERANCE, lambda: NOW))


def month_profile(ctx: InMemoryHandlerContext, job: UUID, priced: str) -> CostProfile:
    profile = CostProfile.open("training", job, "nlp", None, MONTH, "USD")
    profile.add_usage(uuid4(), gpu_hours=1.0, cost_amount=Decimal(priced), rate_card_version=1,
                      currency="USD")  # fmt: skip
    profile.collect_events()
    ctx.saved[profile.id] = profile
    return profile


def feed(*lines: tuple[str, UUID]) -> str:
    start, end = MONTH.start.isoformat(), MONTH.end.isoformat()
    return HEADER + "".join(f"{cost},{cost},USD,{start},{end},{rid}\n" for cost, rid in lines)


async def test_rate_card_versions_count_up_and_may_not_take_effect_earlier() -> None:
    ctx = context()
    [first] = await ctx.run("cost.publish_rate_card", {"gpu_hour_default": "2.5"})
    [second] = await ctx.run(
        "cost.publish_rate_card", {"gpu_hour_default": "3", "gpu_hour_by_type": {"a100": "4"}}
    )
    assert isinstance(second, RateCardVersion) and isinstance(first, RateCardVersion)
    assert (first.prices.version, second.prices.version) == (1, 2)
    assert second.id == RateCardVersion.id_for(2)
    with pytest.raises(CommandRejected) as refused:
        await ctx.run(
            "cost.publish_rate_card",
            {"gpu_hour_default": "1", "effective_from": "2026-11-01T00:00:00Z"},
        )
    assert refused.value.code == "validation_failed"


async def test_a_budget_set_over_the_months_spending_announces_both_crossings() -> None:
    [budget] = await context(Decimal("150")).run(
        "cost.set_budget",
        {"scope": "team", "team": "nlp", "soft_limit": "80", "hard_limit": "100"},
    )
    assert isinstance(budget, Budget) and budget.state == "hard"
    assert budget.period == MONTH


async def test_raising_the_hard_limit_clears_the_budget() -> None:
    ctx = context(Decimal("150"))
    payload = {"scope": "team", "team": "nlp", "soft_limit": "80", "hard_limit": "100"}
    await ctx.run("cost.set_budget", payload)
    [budget] = await ctx.run(
        "cost.set_budget", payload | {"soft_limit": "200", "hard_limit": "300"}
    )
    assert isinstance(budget, Budget) and budget.state == "under"


async def test_a_budget_names_exactly_its_scope() -> None:
    with pytest.raises(CommandRejected) as refused:
        await context().run(
            "cost.set_budget",
            {"scope": "model", "team": "nlp", "soft_limit": "1", "hard_limit": "2"},
        )
    assert refused.value.code == "validation_failed"


def state_of(budget: Budget) -> str:
    return budget.state


def test_spending_crosses_then_a_new_period_clears() -> None:
    from llmops_events.cost import SetBudget

    p = SetBudget(scope="team", team="nlp", soft_limit=Decimal(80), hard_limit=Decimal(100))
    budget = Budget.create(p, Decimal(0), "alice", NOW)
    assert budget.record_spend(uuid4(), Decimal("85"), NOW)
    assert state_of(budget) == "soft"
    assert budget.record_spend(uuid4(), Decimal("20"), NOW)
    assert state_of(budget) == "hard"
    next_month = datetime(2026, 12, 2, tzinfo=UTC)
    assert budget.record_spend(uuid4(), Decimal("5"), next_month)
    assert (state_of(budget), budget.spent) == ("under", Decimal("5"))
    assert not budget.record_spend(uuid4(), Decimal("500"), NOW)
    names = [type(e).__name__ for e in budget.collect_events()]
    assert names == [
        "Set", "SpendRecorded", "SoftLimitCrossed", "SpendRecorded", "HardLimitExceeded",
        "SpendRecorded", "Cleared",
    ]  # fmt: skip


async def test_a_matching_feed_reconciles_and_finalizes_within_tolerance() -> None:
    ctx = context()
    job = uuid4()
    profile = month_profile(ctx, job, "100")
    [_feed, reconciled] = await ctx.run(
        "cost.import_billing_feed",
        {"name": "nov", "content": feed(("100.50", job)), "finalize": True},
    )
    assert isinstance(reconciled, CostProfile) and reconciled.id == profile.id
    assert (reconciled.status, reconciled.billed_amount) == ("finalized", Decimal("100.50"))
    with pytest.raises(CommandRejected) as refused:
        await ctx.run("cost.import_billing_feed", {"name": "again", "content": feed(("1", job))})
    assert refused.value.code == "invalid_billing_feed"


async def test_a_mismatching_feed_reconciles_but_does_not_finalize() -> None:
    ctx = context()
    job = uuid4()
    profile = month_profile(ctx, job, "100")
    await ctx.run(
        "cost.import_billing_feed",
        {"name": "nov", "content": feed(("110", job)), "finalize": True},
    )
    assert ctx.saved[profile.id].status == "reconciled"  # type: ignore[attr-defined]
    with pytest.raises(CommandRejected) as refused:
        await ctx.run("cost.finalize_profile", {"profile_id": str(profile.id)})
    assert refused.value.code == "variance_outside_tolerance"
    [final] = await ctx.run(
        "cost.finalize_profile",
        {"profile_id": str(profile.id), "adjustment_reason": "credit note 17 (10 USD)"},
    )
    assert isinstance(final, CostProfile) and final.status == "finalized"


async def test_a_feed_with_an_unknown_resource_imports_nothing() -> None:
    ctx = context()
    job = uuid4()
    profile = month_profile(ctx, job, "100")
    content = feed(("100", job), ("5", uuid4()), ("5", "not-an-id"))  # type: ignore[arg-type]
    with pytest.raises(CommandRejected) as refused:
        await ctx.run("cost.import_billing_feed", {"name": "nov", "content": content})
    assert refused.value.code == "invalid_billing_feed"
    assert ctx.saved[profile.id].status == "open"  # type: ignore[attr-defined]
    messages = {e.loc: e.message for e in refused.value.field_errors}
    assert messages == {
        "payload.content:line 3:ResourceId": "no cost profile of this resource and charge period",
        "payload.content:line 4:ResourceId": "not a training job or endpoint id",
    }


def test_a_finalized_profile_refuses_usage() -> None:
    profile = CostProfile.open("serving", uuid4(), "nlp", None, MONTH, "USD")
    profile.reconcile(uuid4(), Decimal(0), TOLERANCE, "alice")
    profile.finalize(TOLERANCE, None, "alice")
    with pytest.raises(ProfileFinalized):
        profile.add_usage(uuid4(), cost_amount=Decimal(1), rate_card_version=1, currency="USD")


def test_the_events_match_their_contracts_and_rebuild_the_aggregates() -> None:
    from llmops_events.cost import PublishRateCard, SetBudget

    card = RateCardVersion.publish(PublishRateCard(gpu_hour_default=Decimal(2)), None, "a", NOW)
    p = SetBudget(scope="team", team="nlp", soft_limit=Decimal(1), hard_limit=Decimal(2))
    budget = Budget.create(p, Decimal(3), "alice", NOW)
    budget.change_limits(p.model_copy(update={"soft_limit": 10, "hard_limit": 20}), "alice")
    budget.record_spend(uuid4(), Decimal("1.5"), datetime(2026, 12, 1, tzinfo=UTC))
    profile = CostProfile.open("training", uuid4(), "nlp", uuid4(), MONTH, "USD")
    profile.add_usage(uuid4(), gpu_hours=2.0, cost_amount=Decimal(4), rate_card_version=1,
                      currency="USD")  # fmt: skip
    profile.reconcile(uuid4(), Decimal("4.01"), TOLERANCE, "alice")
    profile.finalize(TOLERANCE, None, "alice")
    feed = BillingFeed.record("a,b", "nov", 1, [profile.id], "alice")
    scenario = [(a, a.collect_events()) for a in (card, budget, profile, feed)]
    check_scenario([e for _, events in scenario for e in events], AGGREGATES)
    for aggregate, events in scenario:
        check_rebuilds_to(events, aggregate)
