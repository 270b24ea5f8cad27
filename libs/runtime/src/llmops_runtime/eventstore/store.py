"""EventStore: the per-service facade over append, read and aggregate loading."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

import asyncpg
from eventsourcing.domain import Aggregate, DomainEventProtocol

from llmops_runtime.eventstore.append import append_events
from llmops_runtime.eventstore.codec import EventCodec
from llmops_runtime.eventstore.reading import read_after, read_stream
from llmops_runtime.eventstore.records import EventMetadata, NewEvent, StoredRecord
from llmops_runtime.eventstore.schema import create_event_store
from llmops_runtime.eventstore.sizing import DEFAULT_MAX_EVENT_BYTES, check_record_sizes
from llmops_runtime.eventstore.sqlnames import checked_identifier

TAggregate = TypeVar("TAggregate", bound=Aggregate)


class EventStore:
    """A service's event store in its own PostgreSQL schema; every call is async (asyncpg)."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        schema: str,
        codec: EventCodec | None = None,
        *,
        max_event_bytes: int = DEFAULT_MAX_EVENT_BYTES,
    ) -> None:
        self.pool = pool
        self.schema = checked_identifier(schema)
        self.codec = codec or EventCodec()
        # The events topic's max.message.bytes: an event the relay could not publish is refused.
        self.max_event_bytes = max_event_bytes

    async def create(self) -> None:
        """Create the schema and tables if missing."""
        async with self.pool.acquire() as conn:
            await create_event_store(conn, self.schema)

    def encode(self, aggregates: Iterable[Aggregate]) -> list[NewEvent]:
        """Collect and encode the pending events of the given aggregates."""
        events: list[DomainEventProtocol[Any]] = []
        for agg in aggregates:
            events.extend(agg.collect_events())
        return [self.codec.encode(ev) for ev in events]

    async def append(
        self,
        conn: asyncpg.Connection,
        events: Sequence[NewEvent],
        metadata: EventMetadata | Sequence[EventMetadata] | None = None,
    ) -> list[int]:
        """Append in the caller's transaction (so a command result can commit with it)."""
        return await append_events(
            conn, self.schema, events, metadata, max_event_bytes=self.max_event_bytes
        )

    def check_sizes(self, events: Sequence[NewEvent], metadata: EventMetadata) -> None:
        """Raise EventTooLarge if an event's Kafka record would exceed the topic's limit."""
        check_record_sizes(events, [metadata.to_dict()] * len(events), self.max_event_bytes)

    async def save(
        self, *aggregates: Aggregate, metadata: EventMetadata | None = None
    ) -> list[int]:
        """Append the pending events of aggregates atomically in a transaction of its own."""
        events = self.encode(aggregates)
        async with self.pool.acquire() as conn, conn.transaction():
            return await append_events(
                conn, self.schema, events, metadata, max_event_bytes=self.max_event_bytes
            )

    async def history(self, stream_id: UUID) -> list[StoredRecord]:
        """All rows of one stream, in version order."""
        return await read_stream(self.pool, self.schema, stream_id)

    async def read_after(self, position: int, limit: int = 1000) -> list[StoredRecord]:
        """Rows after a global position in commit order (a tailing reader never skips)."""
        return await read_after(self.pool, self.schema, position, limit)

    async def load(
        self,
        stream_id: UUID,
        *,
        version: int | None = None,
        as_of: datetime | None = None,
        aggregate_type: type[TAggregate] | None = None,
    ) -> TAggregate | None:
        """Rebuild an aggregate from its events, optionally as of a version or a commit time."""
        records = await read_stream(
            self.pool, self.schema, stream_id, to_version=version, as_of=as_of
        )
        aggregate: Any = None
        for record in records:
            event: Any = self.codec.decode(record)
            aggregate = event.mutate(aggregate)
        if aggregate is not None and aggregate_type is not None:
            assert isinstance(aggregate, aggregate_type)
        return aggregate  # type: ignore[no-any-return]
