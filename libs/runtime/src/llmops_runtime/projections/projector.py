"""Typed projections: `@projector.on(contracts.X)` gets the validated contract and envelope."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar
from uuid import uuid4

import asyncpg
from pydantic import BaseModel

from llmops_runtime.projections.declaration import ApplyBatch
from llmops_runtime.projections.rows import Rows
from llmops_runtime.relay.envelope import EventEnvelope

TEvent = TypeVar("TEvent", bound=BaseModel)
# on_event(rows, event, envelope): write the event's effect through `rows`.
OnEvent = Callable[[Rows, Any, EventEnvelope], Awaitable[None]]


class Projector:
    """A projection's event handlers by contract; events of other types are ignored."""

    def __init__(self) -> None:
        self._by_type: dict[str, tuple[type[BaseModel], OnEvent]] = {}

    def on(
        self, contract: type[TEvent]
    ) -> Callable[
        [Callable[[Rows, TEvent, EventEnvelope], Awaitable[None]]],
        Callable[[Rows, TEvent, EventEnvelope], Awaitable[None]],
    ]:
        """Decorator: fn applies events of `contract` (its wire type comes from the contract)."""
        wire_type = getattr(contract, "WIRE_NAME", None)
        if not isinstance(wire_type, str):
            raise TypeError(f"{contract.__name__} has no WIRE_NAME")
        if wire_type in self._by_type:
            raise ValueError(f"event {wire_type!r} projected twice")

        def register(
            fn: Callable[[Rows, TEvent, EventEnvelope], Awaitable[None]],
        ) -> Callable[[Rows, TEvent, EventEnvelope], Awaitable[None]]:
            self._by_type[wire_type] = (contract, fn)
            return fn

        return register

    def include(self, *others: Projector) -> Projector:
        """Take over the handlers of other projectors (one projection over several modules)."""
        for other in others:
            for wire_type, entry in other._by_type.items():
                if wire_type in self._by_type:
                    raise ValueError(f"event {wire_type!r} projected twice")
                self._by_type[wire_type] = entry
        return self

    def wire_types(self) -> list[str]:
        """Every wire type this projector applies."""
        return sorted(self._by_type)

    @property
    def apply_batch(self) -> ApplyBatch:
        """The ApplyBatch a `Projection` takes: validate each known event, then apply it."""

        async def apply(
            conn: asyncpg.Connection, schema: str, envelopes: Sequence[EventEnvelope]
        ) -> None:
            rows = Rows(conn, schema)
            for env in envelopes:
                entry = self._by_type.get(env.wire_type)
                if entry is None:
                    continue
                contract, fn = entry
                # A payload breaking its contract fails here, so the runner parks the event.
                await fn(rows, contract.model_validate(env.payload), env)

        return apply


def envelope_of(event: BaseModel, position: int, committed_at: datetime) -> EventEnvelope:
    """The envelope a contract instance arrives in, as its own stream's only event (tests)."""
    wire_type = getattr(type(event), "WIRE_NAME", type(event).__name__)
    version = int(getattr(type(event), "SCHEMA_VERSION", 1))
    payload = event.model_dump(mode="json")
    return EventEnvelope(
        uuid4(), uuid4(), 1, wire_type, version, position, committed_at, payload, {}
    )  # fmt: skip
