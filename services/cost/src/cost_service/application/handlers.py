"""Handlers of the cost commands: rate cards, budgets, billing feeds and finalization."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Protocol

from eventsourcing.domain import Aggregate

from cost_service.domain import BillingFeed, Budget, CostProfile, RateCardVersion
from cost_service.domain.billing_feed import billed, group_lines
from cost_service.domain.errors import InvalidBillingFeed
from cost_service.domain.focus import FeedRefused, Problem, parse_feed
from cost_service.domain.pricing import RateCard
from cost_service.domain.windows import window_of
from llmops_domain.errors import DuplicateVersion
from llmops_events import cost as contracts
from llmops_runtime.commands import CommandRegistry, HandlerContext

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The wall clock, in UTC."""
    return datetime.now(UTC)


class CostReadModel(Protocol):
    """What the budget handler reads from the service's projection."""

    async def month_spend(
        self, scope: str, key: str, month_start: datetime, currency: str
    ) -> Decimal:
        """The priced month profiles of a team or model so far."""
        ...


async def latest_rate_card(ctx: HandlerContext) -> RateCard | None:
    """The latest published version (versions are numbered streams from 1)."""
    latest, number = None, 1
    while (found := await ctx.load(RateCardVersion.id_for(number), RateCardVersion)) is not None:
        latest, number = found.prices, number + 1
    return latest


def refused(problems: list[Problem]) -> InvalidBillingFeed:
    """The refusal of a feed, one field error per problem: `content:line N:Column`."""
    errors = {f"content:line {p.line}:{p.column or '-'}": p.problem for p in problems[:100]}
    return InvalidBillingFeed(
        f"the billing feed was refused ({len(problems)} problem(s)); nothing was imported",
        field_errors=errors,
    )


def build_registry(
    reads: CostReadModel, tolerance: Decimal, now: Clock = utc_now
) -> CommandRegistry:
    """Every cost command over the read model, the reconciliation tolerance and this clock."""
    registry = CommandRegistry()

    @registry.handles(contracts.PublishRateCard)
    async def publish(p: contracts.PublishRateCard, ctx: HandlerContext) -> list[RateCardVersion]:
        """The next version of the prices."""
        return [RateCardVersion.publish(p, await latest_rate_card(ctx), ctx.actor, now())]

    @registry.handles(contracts.SetBudget)
    async def set_budget(p: contracts.SetBudget, ctx: HandlerContext) -> list[Budget]:
        """A new budget (counting the month's spending so far) or new limits of one."""
        key = Budget.key_of(p)
        budget = await ctx.load(Budget.id_for(p.scope, key), Budget)
        if budget is not None:
            budget.change_limits(p, ctx.actor)
            return [budget]
        month = window_of("month", now())
        spent = await reads.month_spend(p.scope, key, month.start, p.currency)
        return [Budget.create(p, spent, ctx.actor, now())]

    @registry.handles(contracts.ImportBillingFeed)
    async def import_feed(p: contracts.ImportBillingFeed, ctx: HandlerContext) -> list[Aggregate]:
        """Every line matched to a profile and reconciled, or the whole feed refused."""
        if await ctx.load(BillingFeed.id_for(p.content), BillingFeed) is not None:
            raise DuplicateVersion("this billing feed was imported already")
        try:
            lines = parse_feed(p.content)
        except FeedRefused as exc:
            raise refused(exc.problems) from None
        problems: list[Problem] = []
        matched: list[tuple[CostProfile, Decimal]] = []
        for (resource, window), group in group_lines(lines, problems).items():
            profile = await ctx.load(CostProfile.id_for(resource, window), CostProfile)
            first = group[0].line
            if profile is None:
                problems.append(
                    Problem(
                        first, "ResourceId", "no cost profile of this resource and charge period"
                    )
                )
            elif profile.status == "finalized":
                problems.append(Problem(first, "ChargePeriodStart", "the profile is finalized"))
            elif any(line.currency != profile.currency for line in group):
                problems.append(
                    Problem(first, "BillingCurrency", f"the profile is in {profile.currency}")
                )
            else:
                matched.append((profile, billed(group)))
        if problems:
            raise refused(sorted(problems, key=lambda q: q.line))
        feed = BillingFeed.record(
            p.content, p.name, len(lines), [m.id for m, _ in matched], ctx.actor
        )
        for profile, amount in matched:
            within = profile.reconcile(feed.id, amount, tolerance, ctx.actor)
            if p.finalize and within:
                profile.finalize(tolerance, None, ctx.actor)
        return [feed, *(profile for profile, _ in matched)]

    @registry.handles(contracts.FinalizeCostProfile)
    async def finalize(p: contracts.FinalizeCostProfile, ctx: HandlerContext) -> list[CostProfile]:
        """Final once reconciled within tolerance, or with an explained adjustment."""
        profile = await ctx.require(p.profile_id, CostProfile)
        profile.finalize(tolerance, p.adjustment_reason, ctx.actor)
        return [profile]

    return registry
