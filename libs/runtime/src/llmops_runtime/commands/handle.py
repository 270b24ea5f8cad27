"""Running a command's handler: deciding only (batched append) or appending with retries."""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg
from eventsourcing.domain import Aggregate
from pydantic import BaseModel

from llmops_events.envelope import CommandEnvelope, CommandResult
from llmops_runtime.commands import errors
from llmops_runtime.commands.context import BatchState, CommandContext
from llmops_runtime.commands.handlers import Registration
from llmops_runtime.eventstore import (
    ConcurrencyConflict,
    EventMetadata,
    EventStore,
    EventTooLarge,
    NewEvent,
)
from llmops_runtime.tracing import current_trace_id, current_traceparent


@dataclass(slots=True)
class Decision:
    """A handler's accepted result and the events still to append (the batch appends them)."""

    result: CommandResult
    events: list[NewEvent]
    metadata: EventMetadata


def command_metadata(envelope: CommandEnvelope, actor: str) -> EventMetadata:
    """Metadata of the command's events: who, which command, and the active trace."""
    return EventMetadata(
        actor=actor,
        command_id=envelope.command_id,
        correlation_id=envelope.correlation_id,
        causation_id=envelope.command_id,
        trace_id=current_trace_id(),
        traceparent=current_traceparent(),
    )


def _refuse_too_large(state: BatchState, aggregates: list[Aggregate], exc: EventTooLarge) -> None:
    # The handler changed the cached aggregates: drop them so later commands reload them.
    for aggregate in aggregates:
        state.forget(aggregate.id)
    raise errors.CommandRejected(errors.PAYLOAD_TOO_LARGE, str(exc)) from exc


def _accepted(
    envelope: CommandEnvelope, aggregates: list[Aggregate], events: list[NewEvent]
) -> CommandResult:
    first = aggregates[0] if aggregates else None
    return CommandResult(
        command_id=envelope.command_id,
        status="accepted",
        aggregate_id=str(first.id) if first else None,
        new_version=first.version if first else None,
        event_ids=[str(e.event_id) for e in events],
    )


async def decide_in_batch(
    state: BatchState,
    store: EventStore,
    envelope: CommandEnvelope,
    registration: Registration,
    payload: BaseModel,
    actor: str,
) -> Decision:
    """Run the handler against the batch state without appending (the fast path)."""
    context = CommandContext(state, actor, envelope.command_id)
    aggregates = list(await registration.handler(payload, context))
    events = store.encode(aggregates)
    metadata = command_metadata(envelope, actor)
    try:
        # Checked per command, so one oversized event never fails the batch's single append.
        store.check_sizes(events, metadata)
    except EventTooLarge as exc:
        _refuse_too_large(state, aggregates, exc)
    state.keep(aggregates)
    return Decision(_accepted(envelope, aggregates, events), events, metadata)


async def run_handler(
    conn: asyncpg.Connection,
    state: BatchState,
    store: EventStore,
    envelope: CommandEnvelope,
    registration: Registration,
    payload: BaseModel,
    actor: str,
    *,
    max_retries: int,
) -> Decision:
    """The accepted decision, its events appended; raises what the handler raises."""
    metadata = command_metadata(envelope, actor)
    for _ in range(max_retries + 1):
        context = CommandContext(state, actor, envelope.command_id)
        aggregates = list(await registration.handler(payload, context))
        events = store.encode(aggregates)
        # append_events checks versions before writing, so a conflict leaves the transaction
        # usable without a SAVEPOINT.
        try:
            await store.append(conn, events, metadata)
        except ConcurrencyConflict as conflict:
            state.forget(conflict.stream_id)
            continue
        except EventTooLarge as exc:
            _refuse_too_large(state, aggregates, exc)
        state.keep(aggregates)
        return Decision(_accepted(envelope, aggregates, events), events, metadata)
    raise errors.CommandRejected(
        errors.CONCURRENCY_CONFLICT,
        f"the aggregate kept changing; gave up after {max_retries + 1} attempts",
    )
