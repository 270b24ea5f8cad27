"""Shared fixtures of the governance tests: a clock the test moves."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from governance_service.application.clock import ManualClock

T0 = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def clock() -> ManualClock:
    """A clock standing at 2026-01-01 UTC until the test moves it."""
    return ManualClock(T0)
