"""The handler registry: each service maps a command wire type to a payload model and a handler."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol, TypeVar
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

    async def require(self, aggregate_id: UUID, aggregate_type: type[TAggregate]) -> TAggregate:
        """As load, but an unknown aggregate refuses the command with code `not_found`."""
        ...


Handler = Callable[[Any, HandlerContext], Awaitable[Sequence[Aggregate]]]


class WireContract(Protocol):
    """A command contract: a pydantic model naming its own wire type."""

    WIRE_NAME: ClassVar[str]


TContract = TypeVar("TContract", bound=BaseModel)


class NotFound(Exception):
    """`require` found no aggregate: the command is refused with code `not_found`."""

    code = "not_found"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _words(type_name: str) -> str:
    # DatasetVersion -> "dataset version", as people name it in a refusal.
    return re.sub(r"(?<!^)(?=[A-Z])", " ", type_name).lower()


class RequireMixin(ABC):
    """`require` for any context that has `load`: the aggregate, or a `not_found` refusal."""

    @abstractmethod
    async def load(self, aggregate_id: UUID, aggregate_type: type[TAggregate]) -> TAggregate | None:
        """The aggregate as of this batch, or None: each concrete context provides it."""

    async def require(self, aggregate_id: UUID, aggregate_type: type[TAggregate]) -> TAggregate:
        """The aggregate, or NotFound (`not_found`) naming its kind and id."""
        found = await self.load(aggregate_id, aggregate_type)
        if found is None:
            raise NotFound(f"no {_words(aggregate_type.__name__)} {aggregate_id}")
        return found


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

    def handles(
        self, contract: type[TContract]
    ) -> Callable[[Callable[[TContract, HandlerContext], Awaitable[Sequence[Aggregate]]]], Handler]:
        """Decorator: fn handles `contract`, under the wire type the contract names."""
        wire_type = getattr(contract, "WIRE_NAME", None)
        if not isinstance(wire_type, str):
            raise TypeError(f"{contract.__name__} has no WIRE_NAME")
        return self.command(wire_type, contract)

    def include(self, *handlers: Handler) -> None:
        """Register handlers declared with the module-level `handles` decorator."""
        for fn in handlers:
            contract: type[BaseModel] | None = getattr(fn, "__contract__", None)
            if contract is None:
                raise TypeError(f"{getattr(fn, '__name__', fn)!r} was not declared with @handles")
            self.handles(contract)(fn)

    def get(self, wire_type: str) -> Registration | None:
        """The registration of wire_type, or None."""
        return self._by_type.get(wire_type)

    def wire_types(self) -> list[str]:
        """Every registered wire type."""
        return sorted(self._by_type)


def handles(
    contract: type[TContract],
) -> Callable[
    [Callable[[TContract, HandlerContext], Awaitable[Sequence[Aggregate]]]],
    Callable[[TContract, HandlerContext], Awaitable[Sequence[Aggregate]]],
]:
    """Mark a module-level handler of `contract`; `CommandRegistry.include` registers it."""

    def mark(
        fn: Callable[[TContract, HandlerContext], Awaitable[Sequence[Aggregate]]],
    ) -> Callable[[TContract, HandlerContext], Awaitable[Sequence[Aggregate]]]:
        fn.__contract__ = contract  # type: ignore[attr-defined]
        return fn

    return mark
