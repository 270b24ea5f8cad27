"""Pure rules: windows, pricing, budgets, reconciliation and FOCUS feeds."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from cost_service.domain.budgets import InvalidLimits, Limits, state_of, transitions
from cost_service.domain.focus import MAX_FIELD_CHARS, FeedRefused, parse_feed
from cost_service.domain.pricing import (
    NoRateCard,
    RateCard,
    card_at,
    price_serving,
    price_training,
)
from cost_service.domain.reconciliation import FinalizeRefused, check_finalizable, variance
from cost_service.domain.windows import window_of

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def card(version: int, at: datetime = T0, default: str = "2") -> RateCard:
    return RateCard(
        version, "USD", at, Decimal(default), {"nvidia.com/a100": Decimal("4")},
        Decimal("0.5"), Decimal("1.5"), Decimal("3"),
    )  # fmt: skip


def test_windows_cover_the_hour_day_and_calendar_month_in_utc() -> None:
    at = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    assert window_of("hour", at).start == datetime(2026, 12, 31, 23, tzinfo=UTC)
    assert window_of("day", at).end == datetime(2027, 1, 1, tzinfo=UTC)
    month = window_of("month", at)
    assert (month.start, month.end) == (
        datetime(2026, 12, 1, tzinfo=UTC),
        datetime(2027, 1, 1, tzinfo=UTC),
    )
    assert month.label == "month:2026-12" and month.next().label == "month:2027-01"


def test_gpu_hours_are_priced_by_gpu_type_or_the_default() -> None:
    assert price_training(card(1), 2.5, "nvidia.com/a100").amount == Decimal("10")
    priced = price_training(card(1), 2.5, "amd.com/gpu")
    assert (priced.amount, priced.rate_card_version) == (Decimal("5"), 1)


def test_serving_usage_is_priced_per_thousand_tokens_and_replica_hour() -> None:
    priced = price_serving(card(1), tokens_in=2000, tokens_out=1000, replica_hours=0.5)
    assert priced.amount == Decimal("1") + Decimal("1.5") + Decimal("1.5")


def test_a_new_rate_card_version_supersedes_from_its_effective_instant() -> None:
    later = datetime(2026, 11, 15, tzinfo=UTC)
    cards = [card(1), card(2, later, default="3")]
    assert card_at(cards, datetime(2026, 11, 10, tzinfo=UTC)).version == 1
    assert card_at(cards, later).version == 2
    with pytest.raises(NoRateCard):
        card_at(cards, datetime(2026, 10, 1, tzinfo=UTC))


def test_budget_states_and_their_announcements() -> None:
    limits = Limits(Decimal("80"), Decimal("100"))
    assert [state_of(Decimal(v), limits) for v in ("79", "80", "100", "100.01")] == [
        "under", "soft", "soft", "hard",
    ]  # fmt: skip
    assert transitions("under", "hard") == ("soft_limit_crossed", "hard_limit_exceeded")
    assert transitions("soft", "hard") == ("hard_limit_exceeded",)
    assert transitions("hard", "under") == ("cleared",)
    assert transitions("hard", "soft") == ("cleared", "soft_limit_crossed")
    assert transitions("soft", "soft") == ()
    with pytest.raises(InvalidLimits):
        Limits(Decimal("120"), Decimal("100"))


def test_finalizing_needs_reconciliation_within_tolerance_or_an_adjustment() -> None:
    tolerance = Decimal("0.01")
    close = variance(Decimal("100"), Decimal("100.9"))
    far = variance(Decimal("100"), Decimal("103"))
    check_finalizable("reconciled", Decimal("100.9"), close, tolerance, None)
    check_finalizable("reconciled", Decimal("103"), far, tolerance, "credit note 17")
    for status, billed, var, code in (
        ("open", None, None, "not_reconciled"),
        ("reconciled", Decimal("103"), far, "variance_outside_tolerance"),
        ("finalized", Decimal("100.9"), close, "already_finalized"),
    ):
        with pytest.raises(FinalizeRefused) as refused:
            check_finalizable(status, billed, var, tolerance, None)  # type: ignore[arg-type]
        assert refused.value.code == code


HEADER = (
    "BilledCost,EffectiveCost,BillingCurrency,ChargePeriodStart,ChargePeriodEnd,ResourceId,"
    "ServiceName\n"
)


def test_a_focus_feed_is_read_into_lines() -> None:
    feed = HEADER + "12.50,12.00,USD,2026-11-01T00:00:00Z,2026-12-01T00:00:00Z,job-1,GPU\n"
    [line] = parse_feed(feed.encode())
    assert (line.line, line.resource_id, line.billed_cost) == (2, "job-1", Decimal("12.50"))
    assert line.period_end == datetime(2026, 12, 1, tzinfo=UTC)


def test_a_malformed_feed_is_refused_with_every_line_column_and_problem() -> None:
    feed = HEADER + (
        "12.50,12.00,USD,2026-11-01T00:00:00Z,2026-12-01T00:00:00Z,job-1,GPU\n"
        "abc,1,usd,2026-11-01T00:00:00Z,2026-10-01T00:00:00Z,job-2,GPU\n"
        f"1,1,USD,2026-11-01,2026-12-01T00:00:00Z,{'x' * (MAX_FIELD_CHARS + 1)},GPU\n"
    )
    with pytest.raises(FeedRefused) as refused:
        parse_feed(feed.encode())
    found = {(p.line, p.column, p.problem) for p in refused.value.problems}
    assert found == {
        (3, "BilledCost", "not a decimal number"),
        (3, "BillingCurrency", "not an ISO 4217 code"),
        (3, "ChargePeriodEnd", "not after ChargePeriodStart"),
        (4, "ResourceId", f"longer than {MAX_FIELD_CHARS} characters"),
        (4, "ChargePeriodStart", "no time zone"),
    }


def test_a_feed_without_a_required_column_is_refused_at_the_header() -> None:
    with pytest.raises(FeedRefused) as refused:
        parse_feed(b"BilledCost,ResourceId\n1,job-1\n")
    assert {p.column for p in refused.value.problems} == {
        "EffectiveCost", "BillingCurrency", "ChargePeriodStart", "ChargePeriodEnd",
    }  # fmt: skip
