"""Reading the event store over HTTP: a stream's history and `?as_of=` parsing."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate
from fastapi import HTTPException

from llmops_runtime.eventstore import EventStore

TAggregate = TypeVar("TAggregate", bound=Aggregate)


def parse_as_of(as_of: str) -> datetime:
    """An ISO 8601 timestamp with a time zone, or a 422 saying what is expected."""
    try:
        moment = datetime.fromisoformat(as_of)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise HTTPException(
            422, f"as_of must be an ISO 8601 timestamp with a time zone, got {as_of!r}"
        )
    return moment


async def stream_history(store: EventStore, stream_id: UUID, what: str) -> list[dict[str, Any]]:
    """Every event of a stream with who, when and why; 404 if the stream is unknown."""
    records = await store.history(stream_id)
    if not records:
        raise HTTPException(404, f"no {what} {stream_id}")
    return [
        {
            "position": r.position,
            "event_id": str(r.event_id),
            "stream_version": r.stream_version,
            "type": r.wire_type,
            "schema_version": r.schema_version,
            "committed_at": r.committed_at.isoformat(),
            "actor": r.metadata.get("actor"),
            "metadata": r.metadata,
            "payload": r.payload,
        }
        for r in records
    ]


async def load_as_of(
    store: EventStore, stream_id: UUID, as_of: str, kind: type[TAggregate], what: str
) -> TAggregate:
    """The aggregate rebuilt from events committed up to as_of; 404 if none (or another kind)."""
    found = await store.load(stream_id, as_of=parse_as_of(as_of), aggregate_type=Aggregate)
    if not isinstance(found, kind):
        raise HTTPException(404, f"no {what} {stream_id} as of {as_of}")
    return found
