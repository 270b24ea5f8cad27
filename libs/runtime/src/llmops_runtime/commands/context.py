"""The handler's view of aggregates inside a batch's transaction."""

from __future__ import annotations

import copy
from typing import Any, TypeVar
from uuid import UUID

import asyncpg
from eventsourcing.domain import Aggregate

from llmops_runtime.commands.handlers import RequireMixin
from llmops_runtime.eventstore import EventStore, read_stream

TAggregate = TypeVar("TAggregate", bound=Aggregate)


class BatchState:
    """Aggregates as committed so far in this batch's transaction, by id."""

    def __init__(self, conn: asyncpg.Connection, store: EventStore) -> None:
        self.conn = conn
        self.store = store
        self._aggregates: dict[UUID, Aggregate | None] = {}

    async def get(self, aggregate_id: UUID) -> Aggregate | None:
        """The aggregate from the cache or, first time, rebuilt from the store (same tx)."""
        if aggregate_id not in self._aggregates:
            aggregate: Any = None
            for record in await read_stream(self.conn, self.store.schema, aggregate_id):
                event: Any = self.store.codec.decode(record)
                aggregate = event.mutate(aggregate)
            self._aggregates[aggregate_id] = aggregate
        return self._aggregates[aggregate_id]

    def keep(self, aggregates: list[Aggregate]) -> None:
        """Remember aggregates whose events were appended, for later commands of the batch."""
        for aggregate in aggregates:
            self._aggregates[aggregate.id] = aggregate

    def forget(self, aggregate_id: UUID) -> None:
        """Drop a stale aggregate (after a concurrency conflict) so it is reloaded."""
        self._aggregates.pop(aggregate_id, None)


class CommandContext(RequireMixin):
    """Given to a handler: the actor and ids of the command, and `load` for aggregates."""

    def __init__(self, state: BatchState, actor: str, command_id: str) -> None:
        self._state = state
        self.actor = actor
        self.command_id = command_id

    async def load(self, aggregate_id: UUID, aggregate_type: type[TAggregate]) -> TAggregate | None:
        """A private copy of the aggregate: a rejected command's changes never leak to the next."""
        found = await self._state.get(aggregate_id)
        if found is None:
            return None
        if not isinstance(found, aggregate_type):
            raise TypeError(
                f"{aggregate_id} is a {type(found).__name__}, not {aggregate_type.__name__}"
            )
        return copy.deepcopy(found)
