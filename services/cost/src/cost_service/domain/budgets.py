"""Budgets per team or model and month: soft and hard limits and their crossings.

A budget's state for a period is `under`, `soft` (soft limit crossed) or `hard` (hard limit
exceeded). A change of state is what the service announces: crossing the soft limit, exceeding
the hard limit, and clearing when spending falls back under a limit (a raised limit or a new
period with its own spending).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

BudgetState = Literal["under", "soft", "hard"]
Transition = Literal["soft_limit_crossed", "hard_limit_exceeded", "cleared"]
_RANK: dict[BudgetState, int] = {"under": 0, "soft": 1, "hard": 2}


class InvalidLimits(ValueError):
    """The limits are not a positive soft limit at most the hard limit."""


@dataclass(frozen=True)
class Limits:
    """A soft limit (alert) and a hard limit (refusal), in the budget's currency."""

    soft: Decimal
    hard: Decimal

    def __post_init__(self) -> None:
        if self.soft <= 0 or self.hard <= 0 or self.soft > self.hard:
            raise InvalidLimits("limits must be positive and the soft limit at most the hard")


def state_of(spent: Decimal, limits: Limits) -> BudgetState:
    """`hard` when spending exceeds the hard limit, `soft` at or over the soft, else `under`."""
    if spent > limits.hard:
        return "hard"
    if spent >= limits.soft:
        return "soft"
    return "under"


def transitions(before: BudgetState, after: BudgetState) -> tuple[Transition, ...]:
    """The announcements a change of state makes, in order.

    Rising from under to hard announces both crossings; falling announces `cleared` once,
    and a fall from hard to soft re-announces the soft crossing after it.
    """
    if before == after:
        return ()
    if _RANK[after] > _RANK[before]:
        rising: list[Transition] = []
        if _RANK[before] < 1 <= _RANK[after]:
            rising.append("soft_limit_crossed")
        if after == "hard":
            rising.append("hard_limit_exceeded")
        return tuple(rising)
    return ("cleared", "soft_limit_crossed") if after == "soft" else ("cleared",)
