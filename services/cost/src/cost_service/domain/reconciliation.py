"""Reconciliation of a profile's priced amount with the billed amount of a feed.

A profile reconciles when the billed amount lies within a relative tolerance of the priced
amount; it may be finalized only once reconciled, or with an explained adjustment. A
finalized profile never changes: later usage for its window is carried into the next period
as an adjustment.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

ProfileStatus = Literal["open", "reconciled", "finalized"]


@dataclass(frozen=True)
class Variance:
    """Billed minus priced, and that difference relative to the priced amount."""

    amount: Decimal
    relative: Decimal | None

    def within(self, tolerance: Decimal) -> bool:
        """Whether the difference is at most `tolerance` (e.g. 0.01 for 1 %) of the priced."""
        if self.relative is None:
            return self.amount == 0
        return abs(self.relative) <= tolerance


def variance(priced: Decimal, billed: Decimal) -> Variance:
    """The variance of the billed amount against the priced one."""
    diff = billed - priced
    return Variance(diff, None if priced == 0 else diff / priced)


class FinalizeRefused(ValueError):
    """A profile cannot be finalized in its present state; `code` names why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def check_finalizable(
    status: ProfileStatus, billed: Decimal | None, var: Variance | None,
    tolerance: Decimal, adjustment_reason: str | None,
) -> None:  # fmt: skip
    """Refuse finalizing unless reconciled within tolerance or an adjustment is explained."""
    if status == "finalized":
        raise FinalizeRefused("already_finalized", "a finalized profile never changes")
    if billed is None or var is None:
        raise FinalizeRefused("not_reconciled", "no billing line was matched to the profile")
    if not var.within(tolerance) and not (adjustment_reason and adjustment_reason.strip()):
        raise FinalizeRefused(
            "variance_outside_tolerance",
            f"variance {var.amount} exceeds the tolerance {tolerance} without an adjustment",
        )
