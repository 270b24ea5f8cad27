"""Domain events <-> rows, through the eventsourcing Mapper and a plain-JSON transcoder."""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any, Union, get_args, get_origin, get_type_hints

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Mapper, StoredEvent, Transcoder
from eventsourcing.utils import TopicError, register_topic, resolve_topic

from llmops_runtime.eventstore.errors import UnknownWireType
from llmops_runtime.eventstore.records import NewEvent, StoredRecord


def _to_json(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"cannot store {type(value).__name__} in an event payload")


class PlainJSONTranscoder(Transcoder):
    """Encodes event state as plain JSON (UUID and datetime as strings) so SQL can read it."""

    def encode(self, obj: Any) -> bytes:
        """Encode a dict of event attributes as UTF-8 JSON."""
        return json.dumps(obj, default=_to_json, ensure_ascii=False, separators=(",", ":")).encode()

    def decode(self, data: bytes) -> Any:
        """Decode UTF-8 JSON; typed attributes are restored afterwards from the class hints."""
        return json.loads(data)


_CONVERTERS: dict[Any, Any] = {
    uuid.UUID: uuid.UUID,
    datetime: datetime.fromisoformat,
    date: date.fromisoformat,
    Decimal: Decimal,
}


def _converter(hint: Any) -> Any:
    if get_origin(hint) in (Union, type(int | None)):
        concrete = [a for a in get_args(hint) if a is not type(None)]
        return _converter(concrete[0]) if len(concrete) == 1 else None
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint
    return _CONVERTERS.get(hint)


@cache
def _converters_for(cls: type) -> dict[str, Any]:
    try:
        hints = get_type_hints(cls)
    except Exception:  # unresolvable forward references: leave attributes as decoded
        return {}
    found = {name: _converter(hint) for name, hint in hints.items()}
    return {name: conv for name, conv in found.items() if conv is not None}


def wire_type_of(cls: type) -> str:
    """The wire name of an event class (its `wire_name`), registered so loading resolves it."""
    name = getattr(cls, "wire_name", None)
    if not isinstance(name, str):
        raise UnknownWireType(f"{cls.__qualname__} has no wire_name class attribute")
    register_topic(name, cls)
    return name


def register_event_classes(*aggregate_classes: type) -> None:
    """Register the wire names of every event class nested in the given aggregate classes."""
    for agg in aggregate_classes:
        for value in vars(agg).values():
            if isinstance(value, type) and isinstance(getattr(value, "wire_name", None), str):
                wire_type_of(value)


class EventCodec:
    """Converts eventsourcing domain events to NewEvent rows and stored rows back to events."""

    def __init__(self) -> None:
        self.mapper: Mapper[uuid.UUID] = Mapper(transcoder=PlainJSONTranscoder())

    def encode(self, domain_event: DomainEventProtocol[Any]) -> NewEvent:
        """Encode one domain event; wire type from its class's wire_name."""
        wire_type = wire_type_of(type(domain_event))
        stored = self.mapper.to_stored_event(domain_event)
        payload: dict[str, Any] = json.loads(stored.state)
        schema_version = int(payload.pop("class_version", 1))
        return NewEvent(
            stream_id=uuid.UUID(str(stored.originator_id)),
            stream_version=stored.originator_version,
            wire_type=wire_type,
            schema_version=schema_version,
            payload=payload,
            event_id=uuid.uuid4(),
        )

    def decode(self, record: StoredRecord) -> DomainEventProtocol[Any]:
        """Decode a stored row into its domain event, upcasting from its stored schema version."""
        try:
            cls = resolve_topic(record.wire_type)
        except TopicError as exc:
            raise UnknownWireType(f"no event class registered for {record.wire_type!r}") from exc
        state = record.payload
        if record.schema_version > 1:
            state["class_version"] = record.schema_version
        stored = StoredEvent(
            originator_id=record.stream_id,
            originator_version=record.stream_version,
            topic=record.wire_type,
            state=json.dumps(state).encode(),
        )
        event = self.mapper.to_domain_event(stored)
        attrs = event.__dict__
        for name, convert in _converters_for(cls).items():
            if isinstance(attrs.get(name), str | int | float):
                attrs[name] = convert(attrs[name])
        return event
