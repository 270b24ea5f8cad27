"""Per-service event store on PostgreSQL: append-only, hash-chained, tailable in commit order."""

from llmops_runtime.eventstore.append import append_events
from llmops_runtime.eventstore.codec import EventCodec, register_event_classes, wire_type_of
from llmops_runtime.eventstore.errors import (
    ConcurrencyConflict,
    EventStoreError,
    EventTooLarge,
    UnknownWireType,
)
from llmops_runtime.eventstore.reading import head_position, iterate_after, read_after, read_stream
from llmops_runtime.eventstore.records import EventMetadata, NewEvent, StoredRecord
from llmops_runtime.eventstore.schema import create_event_store, grant_application_role
from llmops_runtime.eventstore.store import EventStore
from llmops_runtime.eventstore.verify import BrokenRow, verify_chain

__all__ = [
    "BrokenRow",
    "ConcurrencyConflict",
    "EventCodec",
    "EventMetadata",
    "EventStore",
    "EventStoreError",
    "EventTooLarge",
    "NewEvent",
    "StoredRecord",
    "UnknownWireType",
    "append_events",
    "create_event_store",
    "grant_application_role",
    "head_position",
    "iterate_after",
    "read_after",
    "read_stream",
    "register_event_classes",
    "verify_chain",
    "wire_type_of",
]
