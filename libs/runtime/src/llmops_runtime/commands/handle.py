"""Running one command's handler and appending its events, retrying concurrency conflicts."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager, nullcontext
from typing import Any

import asyncpg
from pydantic import BaseModel

from llmops_events.envelope import CommandEnvelope, CommandResult
from llmops_runtime.commands import errors
from llmops_runtime.commands.context import BatchState, CommandContext
from llmops_runtime.commands.handlers import Registration
from llmops_runtime.eventstore import ConcurrencyConflict, EventMetadata, EventStore
from llmops_runtime.tracing import current_trace_id, current_traceparent


async def run_handler(
    conn: asyncpg.Connection,
    state: BatchState,
    store: EventStore,
    envelope: CommandEnvelope,
    registration: Registration,
    payload: BaseModel,
    actor: str,
    *,
    isolate: bool,
    max_retries: int,
) -> CommandResult:
    """Accepted result after appending the handler's events; raises what the handler raises."""
    metadata = EventMetadata(
        actor=actor,
        command_id=envelope.command_id,
        correlation_id=envelope.correlation_id,
        causation_id=envelope.command_id,
        trace_id=current_trace_id(),
        traceparent=current_traceparent(),
    )
    for _ in range(max_retries + 1):
        context = CommandContext(state, actor, envelope.command_id)
        aggregates = list(await registration.handler(payload, context))
        events = store.encode(aggregates)
        # append_events checks versions before writing, so a conflict leaves the transaction
        # usable; a SAVEPOINT is only needed when replaying a batch that hit a database error.
        savepoint: AbstractAsyncContextManager[Any] = (
            conn.transaction() if isolate else nullcontext()
        )
        try:
            async with savepoint:
                await store.append(conn, events, metadata)
        except ConcurrencyConflict as conflict:
            state.forget(conflict.stream_id)
            continue
        state.keep(aggregates)
        first = aggregates[0] if aggregates else None
        return CommandResult(
            command_id=envelope.command_id,
            status="accepted",
            aggregate_id=str(first.id) if first else None,
            new_version=first.version if first else None,
            event_ids=[str(e.event_id) for e in events],
        )
    raise errors.CommandRejected(
        errors.CONCURRENCY_CONFLICT,
        f"the aggregate kept changing; gave up after {max_retries + 1} attempts",
    )
