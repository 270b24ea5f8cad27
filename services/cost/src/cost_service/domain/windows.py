"""Time windows a cost profile covers: an hour, a day or a calendar month, in UTC."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

WindowKind = Literal["hour", "day", "month"]
WINDOW_KINDS: tuple[WindowKind, ...] = ("hour", "day", "month")


@dataclass(frozen=True)
class Window:
    """The half-open interval [start, end) of one window of a kind."""

    kind: WindowKind
    start: datetime
    end: datetime

    @property
    def label(self) -> str:
        """A stable text form, e.g. month:2026-11 or hour:2026-11-03T07."""
        fmt = {"hour": "%Y-%m-%dT%H", "day": "%Y-%m-%d", "month": "%Y-%m"}[self.kind]
        return f"{self.kind}:{self.start.strftime(fmt)}"

    def next(self) -> Window:
        """The window of the same kind that follows this one."""
        return window_of(self.kind, self.end)


def window_of(kind: WindowKind, at: datetime) -> Window:
    """The window of this kind that contains the instant `at` (an aware datetime)."""
    if at.tzinfo is None:
        raise ValueError("the instant must carry a time zone")
    t = at.astimezone(UTC)
    if kind == "hour":
        start = t.replace(minute=0, second=0, microsecond=0)
        return Window(kind, start, start + timedelta(hours=1))
    if kind == "day":
        start = t.replace(hour=0, minute=0, second=0, microsecond=0)
        return Window(kind, start, start + timedelta(days=1))
    start = t.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    end = (
        start.replace(year=start.year + 1, month=1)
        if start.month == 12
        else start.replace(month=start.month + 1)
    )
    return Window(kind, start, end)


def windows_of(at: datetime) -> tuple[Window, ...]:
    """The hour, day and month windows containing `at`."""
    return tuple(window_of(kind, at) for kind in WINDOW_KINDS)
