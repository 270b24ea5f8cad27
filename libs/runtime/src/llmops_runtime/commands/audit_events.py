"""The command audit as events: one `audit.commands.recorded` per batch of decided commands.

Every service's store holds them beside its domain events (same transaction, same hash
chain) and the relay publishes them on the service's events topic (`CommandsAudited`).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, ClassVar

from eventsourcing.domain import Aggregate, event
from eventsourcing.utils import get_topic

from llmops_events.audit import MAX_ENTRIES, CommandsAudited
from llmops_events.base import LIST_MAX_ITEMS, NAME_MAX_CHARS
from llmops_events.envelope import CommandResult
from llmops_runtime.commands import errors
from llmops_runtime.commands.intake import Incoming
from llmops_runtime.eventstore import EventMetadata, NewEvent

AUDIT_WIRE_TYPE = CommandsAudited.WIRE_NAME
# Codes that say the actor was not authenticated or not allowed: audited as `unauthorized`.
UNAUTHORIZED_CODES = frozenset({errors.UNAUTHENTICATED, errors.FORBIDDEN})
# The audit event is no command's effect: it names no command, actor or correlation.
AUDIT_METADATA = EventMetadata()


class CommandAudit(Aggregate):
    """The audit of one batch: a stream of its own (the batch id) with a single event."""

    class Recorded(Aggregate.Created):
        wire_name: ClassVar[str] = AUDIT_WIRE_TYPE
        service: str
        batch_id: uuid.UUID
        commands: list[dict[str, Any]]

    @staticmethod
    def create_id(service: str, batch_id: uuid.UUID, commands: list[dict[str, Any]]) -> uuid.UUID:
        return batch_id

    @event(Recorded)
    def __init__(self, service: str, batch_id: uuid.UUID, commands: list[dict[str, Any]]) -> None:
        self.service = service
        self.commands = commands


# The aggregate classes the host registers for every service, beside the service's own.
AUDIT_AGGREGATES: tuple[type[Aggregate], ...] = (CommandAudit,)
_AGGREGATE_TOPIC = get_topic(CommandAudit)


def _name(value: object) -> str | None:
    # Entries must always validate against the contract, or the relay would refuse the event.
    return None if value is None else str(value)[:NAME_MAX_CHARS]


def audit_result(result: CommandResult) -> str:
    """accepted, rejected, or unauthorized (unauthenticated or forbidden)."""
    if result.status == "accepted":
        return "accepted"
    return "unauthorized" if result.code in UNAUTHORIZED_CODES else "rejected"


def resource_of(item: Incoming, recorded: Sequence[NewEvent]) -> tuple[str | None, str | None]:
    """(type, id): the first recorded event's aggregate and stream, else the payload's first id.

    The payload's first UUID field ending in `_id` names it (`model_version_id` ->
    `model_version`); a command that recorded nothing and names no such field has none.
    """
    if recorded:
        parts = recorded[0].wire_type.split(".")
        return (parts[1] if len(parts) >= 3 else None), str(recorded[0].stream_id)
    fields: Any = ()
    if item.payload is not None:
        fields = ((k, getattr(item.payload, k, None)) for k in type(item.payload).model_fields)
    elif item.envelope is not None:
        fields = item.envelope.payload.items()
    for key, value in fields:
        if key.endswith("_id") and _uuid(value) is not None:
            return key[: -len("_id")], str(_uuid(value))
    return None, None


def _uuid(value: object) -> uuid.UUID | None:
    if isinstance(value, uuid.UUID):
        return value
    if isinstance(value, str) and len(value) <= 64:
        try:
            return uuid.UUID(value)
        except ValueError:
            return None
    return None


def audited_command(
    item: Incoming,
    result: CommandResult,
    actor: str | None,
    verified: bool,
    recorded: Sequence[NewEvent] = (),
) -> dict[str, Any]:
    """One AuditedCommand entry (plain JSON) for a decided command."""
    resource_type, resource_id = resource_of(item, recorded)
    rejected = result.status == "rejected"
    return {
        "command_id": _name(item.command_id),
        "action": _name(item.envelope.type if item.envelope else None),
        "actor_id": _name(actor),
        "actor_verified": verified,
        "result": audit_result(result),
        "code": _name(result.code),
        "reason": result.message if rejected else None,
        "resource_type": _name(resource_type),
        "resource_id": resource_id,
        "events": [_name(e.wire_type) for e in recorded[:LIST_MAX_ITEMS]],
        "correlation_id": _name(item.correlation_id),
        "at": datetime.now(UTC).isoformat(),
    }


def bare_audited_command(result: CommandResult) -> dict[str, Any]:
    """An entry with nothing but the outcome: for a refusal whose full entry was refused."""
    return {
        "command_id": None, "action": None, "actor_id": None, "actor_verified": False,
        "result": audit_result(result), "code": _name(result.code), "reason": None,
        "resource_type": None, "resource_id": None, "events": [], "correlation_id": None,
        "at": datetime.now(UTC).isoformat(),
    }  # fmt: skip


def audit_events(
    service: str, entries: Sequence[dict[str, Any]], chunks: int = 1
) -> list[NewEvent]:
    """The audit events of a batch: one, or `chunks` (more if over MAX_ENTRIES) when large."""
    if not entries:
        return []
    size = min(max(-(-len(entries) // max(chunks, 1)), 1), MAX_ENTRIES)
    return [
        recorded_event(service, uuid.uuid4(), list(entries[start : start + size]))
        for start in range(0, len(entries), size)
    ]


def recorded_event(service: str, batch_id: uuid.UUID, commands: list[dict[str, Any]]) -> NewEvent:
    """`CommandAudit.Recorded` encoded as the codec encodes it (one stream, version 1).

    Built directly, without the mapper's JSON round trip: a batch of 500 commands makes a
    payload of ~150 kB, and this runs once per batch on the command path.
    """
    payload = {
        "timestamp": datetime.now(UTC).isoformat(),
        "originator_topic": _AGGREGATE_TOPIC,
        "service": service,
        "batch_id": str(batch_id),
        "commands": commands,
    }
    return NewEvent(batch_id, 1, AUDIT_WIRE_TYPE, 1, payload, uuid.uuid4())
