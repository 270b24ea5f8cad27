"""A minimal aggregate for the runtime's own tests and benchmarks; it carries no business rule."""

from __future__ import annotations

from typing import ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event


class Tally(Aggregate):
    """A named counter whose increments are events."""

    class Opened(Aggregate.Created):
        """A tally was opened."""

        wire_name: ClassVar[str] = "runtime_sample.tally.opened"
        name: str
        owner: UUID

    class Incremented(Aggregate.Event):
        """A tally was incremented."""

        wire_name: ClassVar[str] = "runtime_sample.tally.incremented"
        amount: int

    @event(Opened)
    def __init__(self, name: str, owner: UUID) -> None:
        self.name = name
        self.owner = owner
        self.total = 0

    @event(Incremented)
    def increment(self, amount: int) -> None:
        """Add amount to the total."""
        self.total += amount
