"""Reactions: a consumed event changes one of the service's own aggregates.

Run inside a projection's transaction, so the event's offset and the aggregate's new events
commit together (exactly once per consumed event). The decision is the service's: it calls its
domain method and returns False when the aggregate is not in a state the reaction applies to,
so a replayed event changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from uuid import UUID

import asyncpg
import structlog
from eventsourcing.domain import Aggregate

from llmops_runtime.eventstore.append import append_events
from llmops_runtime.eventstore.codec import EventCodec
from llmops_runtime.eventstore.errors import ConcurrencyConflict
from llmops_runtime.eventstore.reading import read_stream
from llmops_runtime.eventstore.records import EventMetadata

log = structlog.get_logger("llmops.reactions")
TAggregate = TypeVar("TAggregate", bound=Aggregate)
MAX_ATTEMPTS = 3


async def react(
    conn: asyncpg.Connection,
    schema: str,
    aggregate_id: UUID,
    aggregate_type: type[TAggregate],
    decide: Callable[[TAggregate], bool],
    metadata: EventMetadata,
) -> bool:
    """Load the aggregate, apply decide, append its events; False if absent or refused."""
    codec = EventCodec()
    conflict: ConcurrencyConflict | None = None
    for _ in range(MAX_ATTEMPTS):
        aggregate: Any = None
        for record in await read_stream(conn, schema, aggregate_id):
            event: Any = codec.decode(record)
            aggregate = event.mutate(aggregate)
        if not isinstance(aggregate, aggregate_type):
            log.info("reaction_without_aggregate", aggregate_id=str(aggregate_id))
            return False
        if not decide(aggregate):
            log.info("reaction_not_applicable", aggregate_id=str(aggregate_id))
            return False
        events = [codec.encode(e) for e in aggregate.collect_events()]
        try:
            async with conn.transaction():  # a savepoint: a conflict leaves the batch intact
                await append_events(conn, schema, events, metadata)
        except ConcurrencyConflict as exc:
            conflict = exc  # a command changed it meanwhile: decide again on the new state
            continue
        return True
    assert conflict is not None
    raise conflict
