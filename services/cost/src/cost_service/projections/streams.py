"""Loading and appending the service's aggregates inside a projection's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar
from uuid import UUID

import asyncpg
from eventsourcing.domain import Aggregate

from llmops_runtime.eventstore.append import append_events
from llmops_runtime.eventstore.codec import EventCodec
from llmops_runtime.eventstore.reading import read_stream
from llmops_runtime.eventstore.records import EventMetadata

T = TypeVar("T", bound=Aggregate)
_CODEC = EventCodec()


async def load(conn: asyncpg.Connection, schema: str, stream_id: UUID, kind: type[T]) -> T | None:
    """The aggregate as stored (in the caller's transaction), or None."""
    aggregate: Any = None
    for record in await read_stream(conn, schema, stream_id):
        event: Any = _CODEC.decode(record)
        aggregate = event.mutate(aggregate)
    return aggregate if isinstance(aggregate, kind) else None


async def append(
    conn: asyncpg.Connection, schema: str, aggregates: Sequence[Aggregate], metadata: EventMetadata
) -> None:
    """Append the aggregates' pending events in the caller's transaction."""
    events = [_CODEC.encode(e) for a in aggregates for e in a.collect_events()]
    if events:
        await append_events(conn, schema, events, metadata)
