"""Budget: a team's or a model's monthly limits, the period's spending and its state.

Spending is counted per calendar month (UTC): usage of a later month starts a new period at
zero, usage of an earlier month than the current period is not counted against it. Every
change of state (under / soft / hard) is announced (`cost.budget.*`).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from cost_service.domain.budgets import BudgetState, InvalidLimits, Limits, state_of, transitions
from cost_service.domain.windows import Window, window_of
from llmops_domain.errors import ValidationFailed
from llmops_events import cost as contracts

NAMESPACE = uuid5(NAMESPACE_URL, "urn:llmops:cost:budget")


def _limits(soft: Decimal, hard: Decimal) -> Limits:
    try:
        return Limits(soft, hard)
    except InvalidLimits as exc:
        raise ValidationFailed({"soft_limit": str(exc)}) from None


class _StateChanged(Aggregate.Event):
    """What every budget announcement carries (not emitted itself)."""

    budget_id: str
    scope: str
    team: str | None
    model_entry_id: str | None
    period_start: str
    period_end: str
    currency: str
    spent: str
    soft_limit: str
    hard_limit: str


class Budget(Aggregate):
    """The limits of one scope (a team or a model) and the current period's spending."""

    class Set(Aggregate.Created):
        wire_name: ClassVar[str] = contracts.BudgetSet.WIRE_NAME
        class_version: ClassVar[int] = contracts.BudgetSet.SCHEMA_VERSION
        budget_id: str
        scope: str
        team: str | None
        model_entry_id: str | None
        period: str
        currency: str
        soft_limit: str
        hard_limit: str
        period_start: str
        period_end: str
        spent: str
        set_by: str

    class LimitsChanged(Aggregate.Event):
        wire_name: ClassVar[str] = contracts.BudgetLimitsChanged.WIRE_NAME
        class_version: ClassVar[int] = contracts.BudgetLimitsChanged.SCHEMA_VERSION
        budget_id: str
        soft_limit: str
        hard_limit: str
        set_by: str

        def apply(self, budget: Budget) -> None:
            budget.limits = Limits(Decimal(self.soft_limit), Decimal(self.hard_limit))

    class SpendRecorded(Aggregate.Event):
        wire_name: ClassVar[str] = contracts.BudgetSpendRecorded.WIRE_NAME
        class_version: ClassVar[int] = contracts.BudgetSpendRecorded.SCHEMA_VERSION
        budget_id: str
        source_event_id: str
        period_start: str
        period_end: str
        amount: str

        def apply(self, budget: Budget) -> None:
            start = datetime.fromisoformat(self.period_start)
            if start != budget.period.start:
                budget.period = window_of("month", start)
                budget.spent = Decimal(0)
                budget.counted = set()
            budget.spent += Decimal(self.amount)
            budget.counted.add(UUID(self.source_event_id))

    class SoftLimitCrossed(_StateChanged):
        wire_name: ClassVar[str] = contracts.BudgetSoftLimitCrossed.WIRE_NAME
        class_version: ClassVar[int] = contracts.BudgetSoftLimitCrossed.SCHEMA_VERSION

        def apply(self, budget: Budget) -> None:
            budget.state = "soft"

    class HardLimitExceeded(_StateChanged):
        wire_name: ClassVar[str] = contracts.BudgetHardLimitExceeded.WIRE_NAME
        class_version: ClassVar[int] = contracts.BudgetHardLimitExceeded.SCHEMA_VERSION

        def apply(self, budget: Budget) -> None:
            budget.state = "hard"

    class Cleared(_StateChanged):
        wire_name: ClassVar[str] = contracts.BudgetCleared.WIRE_NAME
        class_version: ClassVar[int] = contracts.BudgetCleared.SCHEMA_VERSION
        state: str

        def apply(self, budget: Budget) -> None:
            budget.state = "soft" if self.state == "soft" else "under"

    def __init__(
        self, budget_id: str, scope: str, team: str | None, model_entry_id: str | None,
        period: str, currency: str, soft_limit: str, hard_limit: str, period_start: str,
        period_end: str, spent: str, set_by: str,
    ) -> None:  # fmt: skip
        self.scope = scope
        self.team = team
        self.model_entry_id = model_entry_id
        self.currency = currency
        self.limits = Limits(Decimal(soft_limit), Decimal(hard_limit))
        self.period: Window = window_of("month", datetime.fromisoformat(period_start))
        self.spent = Decimal(spent)
        self.state: BudgetState = "under"
        self.counted: set[UUID] = set()

    @staticmethod
    def id_for(scope: str, key: str) -> UUID:
        """The budget of a team (key: the team) or of a model (key: its model entry id)."""
        return uuid5(NAMESPACE, f"{scope}:{key}")

    @staticmethod
    def key_of(p: contracts.SetBudget) -> str:
        """The team or model the command names; refused unless exactly the scope's one."""
        if p.scope == "team":
            if not p.team or p.model_entry_id is not None:
                raise ValidationFailed({"team": "a team budget names a team and no model"})
            return p.team
        if p.model_entry_id is None or p.team is not None:
            raise ValidationFailed({"model_entry_id": "a model budget names a model, no team"})
        return str(p.model_entry_id)

    @classmethod
    def create(cls, p: contracts.SetBudget, spent: Decimal, actor: str, now: datetime) -> Budget:
        """A new budget; `spent` is the period's spending known so far (from the profiles)."""
        key = cls.key_of(p)
        _limits(p.soft_limit, p.hard_limit)
        period = window_of("month", now)
        budget = cls._create(
            cls.Set, id=cls.id_for(p.scope, key), budget_id=str(cls.id_for(p.scope, key)),
            scope=p.scope, team=p.team,
            model_entry_id=None if p.model_entry_id is None else str(p.model_entry_id),
            period="month", currency=p.currency, soft_limit=str(p.soft_limit),
            hard_limit=str(p.hard_limit), period_start=period.start.isoformat(),
            period_end=period.end.isoformat(), spent=str(spent), set_by=actor,
        )  # fmt: skip
        budget._announce("under")
        return budget

    def change_limits(self, p: contracts.SetBudget, actor: str) -> None:
        """New limits; a limit raised above the spending clears, a lowered one may cross."""
        if p.currency != self.currency:
            raise ValidationFailed({"currency": f"the budget is in {self.currency}"})
        limits = _limits(p.soft_limit, p.hard_limit)
        before = self.state
        self.trigger_event(
            self.LimitsChanged, budget_id=str(self.id), soft_limit=str(limits.soft),
            hard_limit=str(limits.hard), set_by=actor,
        )  # fmt: skip
        self._announce(before)

    def record_spend(self, source_event_id: UUID, amount: Decimal, at: datetime) -> bool:
        """Count usage charged at `at`; False (nothing recorded) for an earlier period."""
        period = window_of("month", at)
        if period.start < self.period.start:
            return False
        before = self.state
        self.trigger_event(
            self.SpendRecorded, budget_id=str(self.id), source_event_id=str(source_event_id),
            period_start=period.start.isoformat(), period_end=period.end.isoformat(),
            amount=str(amount),
        )  # fmt: skip
        self._announce(before)
        return True

    def _announce(self, before: BudgetState) -> None:
        after = state_of(self.spent, self.limits)
        classes = {
            "soft_limit_crossed": self.SoftLimitCrossed,
            "hard_limit_exceeded": self.HardLimitExceeded, "cleared": self.Cleared,
        }  # fmt: skip
        for transition in transitions(before, after):
            extra = {"state": after} if transition == "cleared" else {}
            self.trigger_event(
                classes[transition], budget_id=str(self.id), scope=self.scope, team=self.team,
                model_entry_id=self.model_entry_id,
                period_start=self.period.start.isoformat(),
                period_end=self.period.end.isoformat(), currency=self.currency,
                spent=str(self.spent), soft_limit=str(self.limits.soft),
                hard_limit=str(self.limits.hard), **extra,
            )  # fmt: skip
