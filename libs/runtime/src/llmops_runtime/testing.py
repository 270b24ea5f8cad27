"""Test doubles for unit tests of a service's handler wiring, without Kafka or PostgreSQL.

`InMemoryHandlerContext` plays the command bus's part for one service's `CommandRegistry`:
it validates a payload against the registered model, calls the handler with itself as the
`HandlerContext`, turns a domain error into the `CommandRejected` the bus would send back
(`rejection_from`), and keeps the aggregates the handler returns so later commands can load
them. It checks the wiring (payload models, handlers, domain rules, rejection codes); the
event store, batching, concurrency and the bus itself are tested in llmops_runtime's own suite.

    ctx = InMemoryHandlerContext(build_registry(reads))
    [version] = await ctx.run("catalog.register_model_version", {...})
    with pytest.raises(CommandRejected) as refused:
        await ctx.run("catalog.approve_model_version", {...})
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate

from llmops_runtime.commands.handlers import CommandRegistry
from llmops_runtime.rejections import rejection_from

TAggregate = TypeVar("TAggregate", bound=Aggregate)


class InMemoryHandlerContext:
    """A `HandlerContext` over aggregates kept in memory; `run` plays the bus's part.

    `saved` holds every aggregate a handler returned, by id (its pending events collected, as
    if appended). `load` returns a private deep copy, so a rejected command's changes never
    leak into the next, as with the real context.
    """

    def __init__(
        self, registry: CommandRegistry, actor: str = "alice", command_id: str = "cmd-1"
    ) -> None:
        self.registry = registry
        self.actor = actor
        self.command_id = command_id
        self.saved: dict[UUID, Aggregate] = {}

    async def load(self, aggregate_id: UUID, aggregate_type: type[TAggregate]) -> TAggregate | None:
        """A private copy of a saved aggregate, or None if none was saved under that id."""
        found = self.saved.get(aggregate_id)
        if found is None:
            return None
        if not isinstance(found, aggregate_type):
            raise TypeError(
                f"{aggregate_id} is a {type(found).__name__}, not {aggregate_type.__name__}"
            )
        return copy.deepcopy(found)

    async def run(self, wire_type: str, payload: dict[str, Any]) -> Sequence[Aggregate]:
        """Validate the payload, call the handler, keep what it returns.

        A domain error (anything with a `code`) is raised as the `CommandRejected` the bus
        would reply with; any other exception propagates unchanged.
        """
        registration = self.registry.get(wire_type)
        if registration is None:
            raise KeyError(f"no handler registered for {wire_type!r}")
        try:
            aggregates = await registration.handler(
                registration.payload_model.model_validate(payload), self
            )
        except Exception as error:
            rejection = rejection_from(error)
            if rejection is None:
                raise
            raise rejection from error
        for aggregate in aggregates:
            aggregate.collect_events()
            self.saved[aggregate.id] = aggregate
        return aggregates
