"""The service's notion of now: injectable, so tests control time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The current time, with its time zone."""
    return datetime.now(UTC)


class ManualClock:
    """A clock that stands still until moved: for tests and for replaying a schedule."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("a manual clock needs a time zone")
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def advance(self, by: timedelta) -> None:
        """Move the clock forward."""
        self.at += by
