"""The organisation-wide audit log: every service's command audit and uncommanded events.

Reads `llmops.<svc>.events` of every service that publishes (derived from the contracts
registry). Each `audit.commands.recorded` gives one entry per audited command; a domain event
no command caused (its metadata names no command, e.g. a scheduler's) gives one entry with
result `recorded`; the events of commands are already named by their command's entry.
Rows are written once (unique source event and entry) and never changed: triggers refuse
UPDATE, DELETE and TRUNCATE.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from typing import Any

import asyncpg

from llmops_events.audit import CommandsAudited
from llmops_events.registry import ALL_EVENTS
from llmops_runtime.append_only import append_only_ddl
from llmops_runtime.eventstore.sqlnames import checked_identifier
from llmops_runtime.projections.declaration import Projection
from llmops_runtime.relay.envelope import EventEnvelope
from llmops_runtime.topics import events_topic

NAME = "audit_log"
TABLE = "audit_log"
AUDIT_WIRE_TYPE = CommandsAudited.WIRE_NAME
RECORDED = "recorded"  # the result of an entry for an event no command caused
# Entry ids are derived from the source event and the entry's index: a rebuild keeps them.
_IDS = uuid.UUID("6d0b7c1e-4a51-4b5e-9a8e-2f1d3c4b5a60")


def _service_of(wire_name: str) -> str:
    return wire_name.split(".", 1)[0]


def publishing_services() -> tuple[str, ...]:
    """Every service that publishes events: the first segment of each registered wire name.

    The command audit's own prefix is no service (every service publishes that event).
    """
    services = {_service_of(c.WIRE_NAME) for c in ALL_EVENTS} - {_service_of(AUDIT_WIRE_TYPE)}
    return tuple(sorted(services))


def audited_topics() -> tuple[str, ...]:
    """The events topic of every publishing service."""
    return tuple(events_topic(s) for s in publishing_services())


_DDL = """
CREATE TABLE IF NOT EXISTS {s}.audit_log (
    id               uuid        PRIMARY KEY,
    actor_id         text,
    action           text,
    resource_type    text,
    resource_id      text,
    result           text        NOT NULL,
    metadata         jsonb       NOT NULL,
    timestamp        timestamptz NOT NULL,
    service          text        NOT NULL,
    source_event_id  uuid        NOT NULL,
    source_position  bigint      NOT NULL,
    source_entry     integer     NOT NULL,
    UNIQUE (source_event_id, source_entry)
);
CREATE INDEX IF NOT EXISTS audit_log_time ON {s}.audit_log (timestamp DESC, id DESC);
CREATE INDEX IF NOT EXISTS audit_log_actor ON {s}.audit_log (actor_id, timestamp DESC, id DESC);
CREATE INDEX IF NOT EXISTS audit_log_resource
    ON {s}.audit_log (resource_id, timestamp DESC, id DESC);

"""
_DDL += append_only_ddl("audit_log", "the audit log is immutable: % refused")


async def create_audit_log(conn: asyncpg.Connection, schema: str) -> None:
    """The audit_log table, its indexes and its immutability triggers (idempotent)."""
    s = checked_identifier(schema)
    await conn.execute(f"CREATE SCHEMA IF NOT EXISTS {s}")
    await conn.execute(_DDL.format(s=s))


Row = tuple[Any, ...]


def _row(env: EventEnvelope, index: int, service: str, entry: dict[str, Any]) -> Row:
    metadata = {
        "service": service,
        "command_id": entry.get("command_id"),
        "code": entry.get("code"),
        "reason": entry.get("reason"),
        "events": entry.get("events", []),
        "correlation_id": entry.get("correlation_id"),
    }
    if "actor_verified" in entry:
        metadata["actor_verified"] = entry["actor_verified"]
    return (
        uuid.uuid5(_IDS, f"{env.event_id}/{index}"),
        entry.get("actor_id"),
        entry.get("action"),
        entry.get("resource_type"),
        entry.get("resource_id"),
        entry["result"],
        json.dumps(metadata),
        entry["at"],
        service,
        env.event_id,
        env.position,
        index,
    )


def entries_of(env: EventEnvelope) -> list[Row]:
    """The audit_log rows of one event: its audited commands, or itself if uncommanded."""
    if env.wire_type == AUDIT_WIRE_TYPE:
        # A payload breaking the contract fails here, so the runner parks the event.
        audit = CommandsAudited.model_validate(env.payload)
        return [_row(env, i, audit.service, c.model_dump()) for i, c in enumerate(audit.commands)]
    if env.metadata.get("command_id"):
        return []  # a command's effect: its command's entry names it
    parts = env.wire_type.split(".")
    entry = {
        "actor_id": env.metadata.get("actor"),
        "action": env.wire_type,
        "resource_type": parts[1] if len(parts) >= 3 else None,
        "resource_id": str(env.stream_id),
        "result": RECORDED,
        "events": [env.wire_type],
        "correlation_id": env.metadata.get("correlation_id"),
        "at": env.committed_at,
    }
    return [_row(env, 0, _service_of(env.wire_type), entry)]


_COLUMNS = (
    "id, actor_id, action, resource_type, resource_id, result, metadata, timestamp, service,"
    " source_event_id, source_position, source_entry"
)
_TYPES = (
    "uuid[]", "text[]", "text[]", "text[]", "text[]", "text[]", "text[]", "timestamptz[]",
    "text[]", "uuid[]", "bigint[]", "int[]",
)  # fmt: skip


async def apply_audit_batch(
    conn: asyncpg.Connection, schema: str, envelopes: Sequence[EventEnvelope]
) -> None:
    """Insert the entries of a batch of events in one statement; entries seen before stay."""
    rows = [row for env in envelopes for row in entries_of(env)]
    if not rows:
        return
    s = checked_identifier(schema)
    columns = [list(c) for c in zip(*rows, strict=True)]
    params = ", ".join(f"${i}::{t}" for i, t in enumerate(_TYPES, start=1))
    await conn.execute(
        f"INSERT INTO {s}.{TABLE} ({_COLUMNS})"
        f" SELECT c1, c2, c3, c4, c5, c6, c7::jsonb, c8, c9, c10, c11, c12"
        f" FROM unnest({params}) AS t(c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12)"
        " ON CONFLICT (source_event_id, source_entry) DO NOTHING",
        *columns,
    )


def audit_log_projection(topics: tuple[str, ...] | None = None) -> Projection:
    """The audit_log projection over every publishing service's events topic."""
    return Projection(
        name=NAME,
        topic=None,
        topics=audited_topics() if topics is None else topics,
        create_tables=create_audit_log,
        apply_batch=apply_audit_batch,
        tables=(TABLE,),
    )
