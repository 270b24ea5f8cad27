"""The JSON envelope of a published event and its Kafka headers."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from llmops_runtime.eventstore.hashing import timestamp_text
from llmops_runtime.eventstore.records import StoredRecord

# Internal to the eventsourcing library (a Python import path): never published.
_INTERNAL_KEYS = ("originator_topic",)


@dataclass(frozen=True, slots=True)
class EventEnvelope:
    """One event as consumers see it, from Kafka or straight from the event store."""

    event_id: UUID
    stream_id: UUID
    stream_version: int
    wire_type: str
    schema_version: int
    position: int
    committed_at: datetime
    payload: dict[str, Any]
    metadata: dict[str, Any]
    # The row's place in the hash chain: consumers and `llmops audit verify` anchor on them.
    hash: bytes = b""
    prev_hash: bytes = b""

    @classmethod
    def from_record(cls, record: StoredRecord) -> EventEnvelope:
        """The envelope of a stored row, without library-internal payload keys."""
        payload = record.payload
        for key in _INTERNAL_KEYS:
            payload.pop(key, None)
        return cls(
            record.event_id,
            record.stream_id,
            record.stream_version,
            record.wire_type,
            record.schema_version,
            record.position,
            record.committed_at,
            payload,
            record.metadata,
            record.hash,
            record.prev_hash,
        )

    def to_json(self) -> bytes:
        """The Kafka record value."""
        body = {
            "event_id": str(self.event_id),
            "stream_id": str(self.stream_id),
            "stream_version": self.stream_version,
            "wire_type": self.wire_type,
            "schema_version": self.schema_version,
            "position": self.position,
            "committed_at": timestamp_text(self.committed_at),
            "payload": self.payload,
            "metadata": self.metadata,
            "hash": self.hash.hex(),
            "prev_hash": self.prev_hash.hex(),
        }
        return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()

    @classmethod
    def from_json(cls, data: bytes) -> EventEnvelope:
        """Parse a Kafka record value written by to_json."""
        body = json.loads(data)
        return cls(
            UUID(body["event_id"]),
            UUID(body["stream_id"]),
            int(body["stream_version"]),
            str(body["wire_type"]),
            int(body["schema_version"]),
            int(body["position"]),
            datetime.fromisoformat(body["committed_at"]),
            dict(body["payload"]),
            dict(body.get("metadata") or {}),
            bytes.fromhex(body.get("hash") or ""),
            bytes.fromhex(body.get("prev_hash") or ""),
        )

    def headers(self) -> list[tuple[str, bytes]]:
        """Kafka headers: identity, type, version, position and W3C trace context."""
        found = [
            ("event_id", str(self.event_id).encode()),
            ("wire_type", self.wire_type.encode()),
            ("schema_version", str(self.schema_version).encode()),
            ("position", str(self.position).encode()),
        ]
        for key in ("traceparent", "tracestate", "correlation_id"):
            value = self.metadata.get(key)
            if isinstance(value, str):
                found.append((key, value.encode()))
        return found
