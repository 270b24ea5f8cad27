"""BillingFeed: an imported FOCUS feed, once per content; its lines grouped by profile."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from decimal import Decimal
from typing import ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from cost_service.domain.focus import BillingLine, Problem
from cost_service.domain.windows import WINDOW_KINDS, Window, window_of
from llmops_events import cost as contracts

NAMESPACE = uuid5(NAMESPACE_URL, "urn:llmops:cost:billing_feed")


def charge_window(line: BillingLine) -> Window | None:
    """The hour, day or month window the line's charge period is exactly; None otherwise."""
    for kind in WINDOW_KINDS:
        window = window_of(kind, line.period_start)
        if (window.start, window.end) == (line.period_start, line.period_end):
            return window
    return None


def group_lines(
    lines: Sequence[BillingLine], problems: list[Problem]
) -> dict[tuple[UUID, Window], list[BillingLine]]:
    """Lines by (resource, window); a line naming no UUID or no whole window is a problem."""
    grouped: dict[tuple[UUID, Window], list[BillingLine]] = {}
    for line in lines:
        try:
            resource = UUID(line.resource_id)
        except ValueError:
            problems.append(Problem(line.line, "ResourceId", "not a training job or endpoint id"))
            continue
        window = charge_window(line)
        if window is None:
            problem = "the charge period is not one UTC hour, day or month"
            problems.append(Problem(line.line, "ChargePeriodStart", problem))
            continue
        grouped.setdefault((resource, window), []).append(line)
    return grouped


def billed(lines: Sequence[BillingLine]) -> Decimal:
    """The billed amount of a profile's lines (FOCUS BilledCost)."""
    return sum((line.billed_cost for line in lines), Decimal(0))


class BillingFeed(Aggregate):
    """A feed whose every line matched a profile; its id derives from its content."""

    class Imported(Aggregate.Created):
        wire_name: ClassVar[str] = contracts.BillingFeedImported.WIRE_NAME
        class_version: ClassVar[int] = contracts.BillingFeedImported.SCHEMA_VERSION
        billing_feed_id: str
        name: str
        lines: int
        profile_ids: list[str]
        imported_by: str

    def __init__(
        self, billing_feed_id: str, name: str, lines: int, profile_ids: list[str],
        imported_by: str,
    ) -> None:  # fmt: skip
        self.name = name
        self.lines = lines
        self.profile_ids = profile_ids

    @staticmethod
    def id_for(content: str) -> UUID:
        """The same content is the same feed: it is imported once."""
        return uuid5(NAMESPACE, hashlib.sha256(content.encode()).hexdigest())

    @classmethod
    def record(
        cls, content: str, name: str, lines: int, profile_ids: Sequence[UUID], actor: str
    ) -> BillingFeed:
        """The imported feed."""
        feed_id = cls.id_for(content)
        return cls._create(
            cls.Imported, id=feed_id, billing_feed_id=str(feed_id), name=name, lines=lines,
            profile_ids=[str(p) for p in profile_ids], imported_by=actor,
        )  # fmt: skip
