"""Reading the event store over HTTP: a stream's history and `?as_of=` parsing."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate
from fastapi import HTTPException

from llmops_runtime.eventstore import EventStore
from llmops_runtime.eventstore.records import RECORD_COLUMNS, StoredRecord, record_from_row
from llmops_runtime.eventstore.sqlnames import checked_identifier
from llmops_runtime.http.pagination import KeyColumn, Keyset, PageRequest, fetch_page

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


HISTORY_KEY = Keyset((KeyColumn("stream_version", "bigint", "stream_version"),))


def event_json(r: StoredRecord) -> dict[str, Any]:
    """One event of a history with who, when and why."""
    return {
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


async def stream_history(
    store: EventStore, stream_id: UUID, what: str, page: PageRequest
) -> dict[str, Any]:
    """A page of a stream's events in version order; 404 if the stream is unknown."""
    s = checked_identifier(store.schema)
    body = await fetch_page(
        store.pool, page, HISTORY_KEY,
        select=f"SELECT {RECORD_COLUMNS} FROM {s}.events",
        where="stream_id = $1", args=[stream_id],
        to_json=lambda row: event_json(record_from_row(row)),
    )  # fmt: skip
    if not body["items"] and page.after is None:
        raise HTTPException(404, f"no {what} {stream_id}")
    return body


async def load_as_of(
    store: EventStore, stream_id: UUID, as_of: str, kind: type[TAggregate], what: str
) -> TAggregate:
    """The aggregate rebuilt from events committed up to as_of; 404 if none (or another kind)."""
    found = await store.load(stream_id, as_of=parse_as_of(as_of), aggregate_type=Aggregate)
    if not isinstance(found, kind):
        raise HTTPException(404, f"no {what} {stream_id} as of {as_of}")
    return found
