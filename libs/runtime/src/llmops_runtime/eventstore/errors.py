"""Errors raised by the event store."""

from __future__ import annotations

from uuid import UUID


class EventStoreError(Exception):
    """Base class of event store errors."""


class ConcurrencyConflict(EventStoreError):
    """Raised when an append does not continue a stream's stored head (optimistic concurrency)."""

    def __init__(self, stream_id: UUID, expected_version: int, actual_version: int) -> None:
        super().__init__(
            f"stream {stream_id}: expected version {expected_version},"
            f" stored head is {actual_version}"
        )
        self.stream_id = stream_id
        self.expected_version = expected_version
        self.actual_version = actual_version


class UnknownWireType(EventStoreError):
    """Raised when a stored wire type resolves to no registered event class."""


class EventTooLarge(EventStoreError):
    """Raised before anything is written when an event's envelope would exceed the record limit."""

    def __init__(self, wire_type: str, size: int, limit: int) -> None:
        super().__init__(
            f"event {wire_type} would be a {size}-byte record; the events topic accepts at most"
            f" {limit} bytes: shorten its texts"
        )
        self.wire_type = wire_type
        self.size = size
        self.limit = limit
