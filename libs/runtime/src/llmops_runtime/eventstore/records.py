"""Value objects going into and coming out of the event store."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, NamedTuple
from uuid import UUID


@dataclass(frozen=True, slots=True)
class EventMetadata:
    """Who and what caused an append; stored as the metadata jsonb of every event of the append."""

    actor: str | None = None
    command_id: str | None = None
    correlation_id: str | None = None
    causation_id: str | None = None
    trace_id: str | None = None
    traceparent: str | None = None

    def to_dict(self) -> dict[str, str]:
        """The non-empty fields, as stored."""
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass(frozen=True, slots=True)
class NewEvent:
    """One event ready to append: already encoded to its wire type and JSON payload."""

    stream_id: UUID
    stream_version: int
    wire_type: str
    schema_version: int
    payload: dict[str, Any]
    event_id: UUID


class StoredRecord(NamedTuple):
    """One row of the events table; payload and metadata stay JSON text until asked for.

    A NamedTuple rather than a frozen dataclass: tail readers build hundreds of thousands per
    second, and a tuple is built from a database row in one step.
    """

    position: int
    event_id: UUID
    stream_id: UUID
    stream_version: int
    wire_type: str
    schema_version: int
    payload_json: str
    metadata_json: str
    committed_at: datetime
    prev_hash: bytes
    hash: bytes

    @property
    def payload(self) -> dict[str, Any]:
        """The payload as a dict."""
        value: dict[str, Any] = json.loads(self.payload_json)
        return value

    @property
    def metadata(self) -> dict[str, Any]:
        """The metadata as a dict."""
        value: dict[str, Any] = json.loads(self.metadata_json)
        return value


RECORD_COLUMNS = (
    "position, event_id, stream_id, stream_version, wire_type, schema_version,"
    " payload::text, metadata::text, committed_at, prev_hash, hash"
)


def record_from_row(row: Any) -> StoredRecord:
    """Build a StoredRecord from an asyncpg row selected with RECORD_COLUMNS."""
    return StoredRecord._make(row)
