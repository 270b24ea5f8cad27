"""The handler registry: each service maps a command wire type to a payload model and a handler."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate
from pydantic import BaseModel

TAggregate = TypeVar("TAggregate", bound=Aggregate)
TPayload = TypeVar("TPayload", bound=BaseModel)


class HandlerContext(Protocol):
    """What a handler may use: the actor, the command's ids, and aggregates as of this batch."""

    actor: str
    command_id: str

    async def load(self, aggregate_id: UUID, aggregate_type: type[TAggregate]) -> TAggregate | None:
        """The aggregate including effects of earlier commands in the batch; None if unknown."""
        ...


Handler = Callable[[Any, HandlerContext], Awaitable[Sequence[Aggregate]]]


@dataclass(frozen=True, slots=True)
class Registration:
    """One command type: its payload model and its handler."""

    wire_type: str
    payload_model: type[BaseModel]
    handler: Handler


class CommandRegistry:
    """A service's commands, by wire type; handlers return the aggregates to save."""

    def __init__(self, *, retryable_codes: Iterable[str] = ()) -> None:
        self._by_type: dict[str, Registration] = {}
        # Refusals that depend on another service's lag (a projection not caught up yet): a
        # retry with the same command id is decided again instead of answered from storage.
        self.retryable_codes = frozenset(retryable_codes)

    def register(self, wire_type: str, payload_model: type[BaseModel], handler: Handler) -> None:
        """Register handler for wire_type; a wire type is registered once."""
        if wire_type in self._by_type:
            raise ValueError(f"command {wire_type!r} registered twice")
        self._by_type[wire_type] = Registration(wire_type, payload_model, handler)

    def command(
        self, wire_type: str, payload_model: type[TPayload]
    ) -> Callable[[Callable[[TPayload, HandlerContext], Awaitable[Sequence[Aggregate]]]], Handler]:
        """Decorator form of register."""

        def decorate(
            fn: Callable[[TPayload, HandlerContext], Awaitable[Sequence[Aggregate]]],
        ) -> Handler:
            self.register(wire_type, payload_model, fn)
            return fn

        return decorate

    def get(self, wire_type: str) -> Registration | None:
        """The registration of wire_type, or None."""
        return self._by_type.get(wire_type)

    def wire_types(self) -> list[str]:
        """Every registered wire type."""
        return sorted(self._by_type)
