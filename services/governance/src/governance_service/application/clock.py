"""The service's notion of now: injectable, so tests control time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The current time, with its time zone."""
    return datetime.now(UTC)
