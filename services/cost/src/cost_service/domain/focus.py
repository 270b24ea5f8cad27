"""Billing feeds in the FOCUS 1.x format: parsed whole or refused line by line.

Only the columns the service matches on are read (BilledCost, EffectiveCost, BillingCurrency,
ChargePeriodStart, ChargePeriodEnd, ResourceId); other FOCUS columns are ignored. A feed with
any malformed line yields every problem found (line number, column, problem) and no lines, so
nothing partial is imported.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from llmops_events.cost import MAX_FEED_CHARS, MAX_FEED_LINES

REQUIRED = (
    "BilledCost", "EffectiveCost", "BillingCurrency",
    "ChargePeriodStart", "ChargePeriodEnd", "ResourceId",
)  # fmt: skip
MAX_FEED_BYTES = MAX_FEED_CHARS * 4
MAX_FIELD_CHARS = 200
MAX_PROBLEMS = 100


@dataclass(frozen=True)
class BillingLine:
    """One charge: a resource's billed and effective cost over a charge period."""

    line: int
    resource_id: str
    billed_cost: Decimal
    effective_cost: Decimal
    currency: str
    period_start: datetime
    period_end: datetime


@dataclass(frozen=True)
class Problem:
    """Why a feed was refused: the 1-based line (1 is the header), the column, the problem."""

    line: int
    column: str
    problem: str


class FeedRefused(ValueError):
    """The feed is malformed; `problems` lists each reason."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the billing feed")
        self.problems = problems


def decode_feed(data: bytes) -> str:
    """A feed file's text, refused when too large or not UTF-8."""
    if len(data) > MAX_FEED_BYTES:
        raise FeedRefused([Problem(0, "", f"feed larger than {MAX_FEED_BYTES} bytes")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FeedRefused([Problem(0, "", f"not UTF-8: {exc.reason}")]) from None
    if len(text) > MAX_FEED_CHARS:
        raise FeedRefused([Problem(0, "", f"feed longer than {MAX_FEED_CHARS} characters")])
    return text


def parse_feed(data: bytes | str) -> list[BillingLine]:
    """Every line of a FOCUS CSV feed, or FeedRefused with every problem found."""
    text = decode_feed(data) if isinstance(data, bytes) else data
    if len(text) > MAX_FEED_CHARS:
        raise FeedRefused([Problem(0, "", f"feed longer than {MAX_FEED_CHARS} characters")])
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        header = reader.fieldnames or []
    except csv.Error as exc:
        raise FeedRefused([Problem(1, "", f"unreadable header: {exc}")]) from None
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise FeedRefused([Problem(1, c, "required column missing") for c in missing])
    lines: list[BillingLine] = []
    problems: list[Problem] = []
    try:
        for row in reader:
            number = reader.line_num
            if number > MAX_FEED_LINES + 1:
                raise FeedRefused([Problem(number, "", f"more than {MAX_FEED_LINES} lines")])
            parsed = _line(number, row, problems)
            if parsed is not None:
                lines.append(parsed)
            if len(problems) >= MAX_PROBLEMS:
                break
    except csv.Error as exc:
        problems.append(Problem(reader.line_num, "", f"malformed CSV: {exc}"))
    if problems:
        raise FeedRefused(problems[:MAX_PROBLEMS])
    return lines


def _line(number: int, row: dict[str | None, str | None], out: list[Problem]) -> BillingLine | None:
    """One parsed line, or None with its problems appended to `out`."""
    before = len(out)
    if None in row:
        out.append(Problem(number, "", "more fields than the header"))
    for column, value in row.items():
        if column is not None and isinstance(value, str) and len(value) > MAX_FIELD_CHARS:
            out.append(Problem(number, column, f"longer than {MAX_FIELD_CHARS} characters"))
    values = {c: (row.get(c) or "").strip() for c in REQUIRED}
    for column in REQUIRED:
        if not values[column]:
            out.append(Problem(number, column, "required value empty"))
    billed = _decimal(number, "BilledCost", values["BilledCost"], out)
    effective = _decimal(number, "EffectiveCost", values["EffectiveCost"], out)
    start = _instant(number, "ChargePeriodStart", values["ChargePeriodStart"], out)
    end = _instant(number, "ChargePeriodEnd", values["ChargePeriodEnd"], out)
    if start is not None and end is not None and end <= start:
        out.append(Problem(number, "ChargePeriodEnd", "not after ChargePeriodStart"))
    currency = values["BillingCurrency"]
    if currency and not (len(currency) == 3 and currency.isalpha() and currency.isupper()):
        out.append(Problem(number, "BillingCurrency", "not an ISO 4217 code"))
    if len(out) > before or billed is None or effective is None or start is None or end is None:
        return None
    return BillingLine(number, values["ResourceId"], billed, effective, currency, start, end)


def _decimal(number: int, column: str, value: str, out: list[Problem]) -> Decimal | None:
    if not value:
        return None
    try:
        parsed = Decimal(value)
    except InvalidOperation:
        out.append(Problem(number, column, "not a decimal number"))
        return None
    if not parsed.is_finite():
        out.append(Problem(number, column, "not a finite number"))
        return None
    return parsed


def _instant(number: int, column: str, value: str, out: list[Problem]) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        out.append(Problem(number, column, "not an ISO 8601 date-time"))
        return None
    if parsed.tzinfo is None:
        out.append(Problem(number, column, "no time zone"))
        return None
    return parsed
