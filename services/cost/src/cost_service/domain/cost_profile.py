"""CostProfile: a resource's priced usage in one window, reconciled, then final.

open -> reconciled (a billing feed matched it) -> finalized (within tolerance, or with an
explained adjustment). Usage added after a reconciliation reopens it; a finalized profile
never changes (usage for its window is carried into the next window's profile instead).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from cost_service.domain.errors import (
    CurrencyMismatch,
    NotReconciled,
    ProfileFinalized,
    VarianceOutsideTolerance,
)
from cost_service.domain.pricing import money
from cost_service.domain.reconciliation import (
    FinalizeRefused,
    ProfileStatus,
    Variance,
    check_finalizable,
    variance,
)
from cost_service.domain.windows import Window
from llmops_events import cost as contracts

NAMESPACE = uuid5(NAMESPACE_URL, "urn:llmops:cost:profile")
_REFUSALS = {
    "already_finalized": ProfileFinalized,
    "not_reconciled": NotReconciled,
    "variance_outside_tolerance": VarianceOutsideTolerance,
}


class CostProfile(Aggregate):
    """What a training job or a serving endpoint cost in an hour, a day or a month."""

    class Opened(Aggregate.Created):
        wire_name: ClassVar[str] = contracts.CostProfileOpened.WIRE_NAME
        class_version: ClassVar[int] = contracts.CostProfileOpened.SCHEMA_VERSION
        profile_id: str
        resource_type: str
        resource_id: str
        team: str
        model_entry_id: str | None
        window_kind: str
        window_start: str
        window_end: str
        currency: str

    class UsageAdded(Aggregate.Event):
        wire_name: ClassVar[str] = contracts.CostProfileUsageAdded.WIRE_NAME
        class_version: ClassVar[int] = contracts.CostProfileUsageAdded.SCHEMA_VERSION
        profile_id: str
        source_event_id: str
        gpu_hours: float
        token_count: int
        replica_hours: float
        cost_amount: str
        rate_card_version: int | None
        adjustment_of: str | None

        def apply(self, profile: CostProfile) -> None:
            profile.gpu_hours += self.gpu_hours
            profile.token_count += self.token_count
            profile.replica_hours += self.replica_hours
            profile.cost_amount += Decimal(self.cost_amount)
            profile.counted.add(UUID(self.source_event_id))
            if self.rate_card_version is not None:
                profile.rate_card_versions.add(self.rate_card_version)
            if profile.status == "reconciled":
                profile.status = "open"

    class Reconciled(Aggregate.Event):
        wire_name: ClassVar[str] = contracts.CostProfileReconciled.WIRE_NAME
        class_version: ClassVar[int] = contracts.CostProfileReconciled.SCHEMA_VERSION
        profile_id: str
        billing_feed_id: str
        billed_amount: str
        variance_amount: str
        within_tolerance: bool
        reconciled_by: str

        def apply(self, profile: CostProfile) -> None:
            profile.status = "reconciled"
            profile.billed_amount = Decimal(self.billed_amount)

    class Finalized(Aggregate.Event):
        wire_name: ClassVar[str] = contracts.CostProfileFinalized.WIRE_NAME
        class_version: ClassVar[int] = contracts.CostProfileFinalized.SCHEMA_VERSION
        profile_id: str
        cost_amount: str
        billed_amount: str
        variance_amount: str
        adjustment_reason: str | None
        finalized_by: str

        def apply(self, profile: CostProfile) -> None:
            profile.status = "finalized"

    def __init__(
        self, profile_id: str, resource_type: str, resource_id: str, team: str,
        model_entry_id: str | None, window_kind: str, window_start: str, window_end: str,
        currency: str,
    ) -> None:  # fmt: skip
        self.resource_type = resource_type
        self.resource_id = resource_id
        self.team = team
        self.model_entry_id = model_entry_id
        self.window_kind = window_kind
        self.window_start = datetime.fromisoformat(window_start)
        self.window_end = datetime.fromisoformat(window_end)
        self.currency = currency
        self.gpu_hours = 0.0
        self.token_count = 0
        self.replica_hours = 0.0
        self.cost_amount = Decimal(0)
        self.billed_amount: Decimal | None = None
        self.rate_card_versions: set[int] = set()
        self.counted: set[UUID] = set()
        self.status: ProfileStatus = "open"

    @staticmethod
    def id_for(resource_id: UUID | str, window: Window) -> UUID:
        """The profile of a resource in a window (resource ids are unique across types)."""
        return uuid5(NAMESPACE, f"{resource_id}/{window.kind}/{window.start.isoformat()}")

    @classmethod
    def open(
        cls, resource_type: str, resource_id: UUID, team: str, model_entry_id: UUID | None,
        window: Window, currency: str,
    ) -> CostProfile:  # fmt: skip
        """The empty profile of a resource in a window."""
        profile_id = cls.id_for(resource_id, window)
        return cls._create(
            cls.Opened, id=profile_id, profile_id=str(profile_id), resource_type=resource_type,
            resource_id=str(resource_id), team=team,
            model_entry_id=None if model_entry_id is None else str(model_entry_id),
            window_kind=window.kind, window_start=window.start.isoformat(),
            window_end=window.end.isoformat(), currency=currency,
        )  # fmt: skip

    @property
    def variance(self) -> Variance | None:
        """Billed minus priced, once billed."""
        if self.billed_amount is None:
            return None
        return variance(self.cost_amount, self.billed_amount)

    def add_usage(
        self, source_event_id: UUID, *, gpu_hours: float = 0.0, token_count: int = 0,
        replica_hours: float = 0.0, cost_amount: Decimal, rate_card_version: int | None,
        currency: str, adjustment_of: UUID | None = None,
    ) -> None:  # fmt: skip
        """Add a source event's priced usage; refused once finalized."""
        if self.status == "finalized":
            raise ProfileFinalized(f"cost profile {self.id} is finalized")
        if currency != self.currency:
            raise CurrencyMismatch(f"the profile is in {self.currency}, not {currency}")
        self.trigger_event(
            self.UsageAdded, profile_id=str(self.id), source_event_id=str(source_event_id),
            gpu_hours=gpu_hours, token_count=token_count, replica_hours=replica_hours,
            cost_amount=str(money(cost_amount)), rate_card_version=rate_card_version,
            adjustment_of=None if adjustment_of is None else str(adjustment_of),
        )  # fmt: skip

    def reconcile(
        self, billing_feed_id: UUID, billed: Decimal, tolerance: Decimal, actor: str
    ) -> bool:
        """Record the billed amount and its variance; True when within the tolerance."""
        if self.status == "finalized":
            raise ProfileFinalized(f"cost profile {self.id} is finalized")
        var = variance(self.cost_amount, billed)
        within = var.within(tolerance)
        self.trigger_event(
            self.Reconciled, profile_id=str(self.id), billing_feed_id=str(billing_feed_id),
            billed_amount=str(money(billed)), variance_amount=str(money(var.amount)),
            within_tolerance=within, reconciled_by=actor,
        )  # fmt: skip
        return within

    def finalize(self, tolerance: Decimal, adjustment_reason: str | None, actor: str) -> None:
        """Final: reconciled within tolerance, or with an explained adjustment."""
        try:
            check_finalizable(
                self.status, self.billed_amount, self.variance, tolerance, adjustment_reason
            )
        except FinalizeRefused as refused:
            raise _REFUSALS[refused.code](str(refused)) from None
        assert self.billed_amount is not None and self.variance is not None
        self.trigger_event(
            self.Finalized, profile_id=str(self.id), cost_amount=str(money(self.cost_amount)),
            billed_amount=str(money(self.billed_amount)),
            variance_amount=str(money(self.variance.amount)),
            adjustment_reason=adjustment_reason or None, finalized_by=actor,
        )  # fmt: skip
