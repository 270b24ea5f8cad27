"""How large an event's published Kafka record will be, checked before it is committed."""

from __future__ import annotations

from collections.abc import Sequence

from llmops_runtime.eventstore.errors import EventTooLarge
from llmops_runtime.eventstore.hashing import COMPACT_JSON
from llmops_runtime.eventstore.records import NewEvent

# Matches the events topics' max.message.bytes (the broker default) unless configured.
DEFAULT_MAX_EVENT_BYTES = 1_048_576
# Envelope fields besides payload and metadata (ids, type, position, time, hashes), the
# identity headers and the record batch framing; generous, so an accepted event always fits.
RECORD_OVERHEAD_BYTES = 2_048
# Metadata values the relay repeats as Kafka headers.
_HEADER_KEYS = ("traceparent", "tracestate", "correlation_id")


def record_bytes(event: NewEvent, metadata: dict[str, str], payload_json: str | None = None) -> int:
    """An upper bound of the size of the Kafka record that will carry event."""
    payload = payload_json if payload_json is not None else COMPACT_JSON.encode(event.payload)
    headers = sum(len(str(metadata.get(k, "")).encode()) for k in _HEADER_KEYS)
    return (
        len(payload.encode())
        + len(COMPACT_JSON.encode(metadata).encode())
        + len(event.wire_type.encode())
        + headers
        + RECORD_OVERHEAD_BYTES
    )


def check_record_sizes(
    events: Sequence[NewEvent], metadatas: Sequence[dict[str, str]], limit: int
) -> None:
    """Raise EventTooLarge for the first event whose record would exceed limit bytes."""
    for event, metadata in zip(events, metadatas, strict=True):
        size = record_bytes(event, metadata)
        if size > limit:
            raise EventTooLarge(event.wire_type, size, limit)
