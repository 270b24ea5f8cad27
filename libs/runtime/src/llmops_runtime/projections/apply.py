"""Applying a batch of events inside the caller's transaction: dedup, retry, park."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence

import asyncpg
import structlog
from opentelemetry import trace
from opentelemetry.trace import SpanKind

from llmops_runtime.connection_lost import DATABASE_TRANSIENT
from llmops_runtime.projections.declaration import ProjectionLike, batch_applier
from llmops_runtime.projections.tracking import Parked, SourcedEvent, claim_new
from llmops_runtime.tracing import context_from

log = structlog.get_logger(__name__)
tracer = trace.get_tracer("llmops.projections")


def trace_applied(name: str, events: Sequence[SourcedEvent], started_ns: int) -> None:
    """One span per applied event, continuing the trace of the command that caused it."""
    ended = time.time_ns()
    for event in events:
        envelope = event.envelope
        parent = context_from(envelope.metadata.get("traceparent"))
        span = tracer.start_span(
            f"project {name} {envelope.wire_type}",
            context=parent,
            kind=SpanKind.CONSUMER,
            start_time=started_ns,
            attributes={"llmops.event_id": str(envelope.event_id), "llmops.projection": name},
        )
        span.end(end_time=ended)


# Not a handler failure: the whole batch must be retried by the runner, nothing parked.
# A lock or statement timeout, deadlock or full disk passes with time, so it is no reason to park.
_CONNECTION_LOST: tuple[type[Exception], ...] = (*DATABASE_TRANSIENT, OSError)


async def _first_deliveries(
    conn: asyncpg.Connection, schema: str, name: str, events: Sequence[SourcedEvent]
) -> list[SourcedEvent]:
    new_ids = await claim_new(conn, schema, name, [e.envelope.event_id for e in events])
    fresh: list[SourcedEvent] = []
    for event in events:
        # An id delivered twice within one batch is applied at its first occurrence only.
        if event.envelope.event_id in new_ids:
            new_ids.discard(event.envelope.event_id)
            fresh.append(event)
    return fresh


async def apply_events(
    conn: asyncpg.Connection,
    projection: ProjectionLike,
    tables_schema: str,
    tracking_schema: str,
    tracking_name: str,
    events: Sequence[SourcedEvent],
    max_attempts: int = 3,
    *,
    deduplicate: bool = True,
) -> list[Parked]:
    """Apply the events not applied before, in order; return those parked after max_attempts.

    deduplicate=False is for the own event store, whose gapless positions already make each
    event's offset unique, so the processed-id bookkeeping would be pure cost.
    """
    fresh = list(events)
    if deduplicate:
        fresh = await _first_deliveries(conn, tracking_schema, tracking_name, events)
    if not fresh:
        return []
    apply = batch_applier(projection)
    started = time.time_ns()
    try:
        async with conn.transaction():  # a savepoint: the fast path applies the batch at once
            await apply(conn, tables_schema, [e.envelope for e in fresh])
        trace_applied(projection.name, fresh, started)
        return []
    except _CONNECTION_LOST:
        raise
    except Exception:
        log.info("projection.batch_failed_retrying_one_by_one", projection=projection.name)
    parked: list[Parked] = []
    for event in fresh:
        reason = ""
        for attempt in range(1, max_attempts + 1):
            try:
                one_started = time.time_ns()
                async with conn.transaction():
                    await apply(conn, tables_schema, [event.envelope])
                trace_applied(projection.name, [event], one_started)
                break
            except _CONNECTION_LOST:
                raise
            except Exception as exc:
                reason = f"{type(exc).__name__}: {exc}"
                await asyncio.sleep(0.01 * attempt)
        else:
            parked.append(Parked(event, reason, max_attempts))
            log.warning(
                "projection.event_parked",
                projection=projection.name,
                event_id=str(event.envelope.event_id),
                reason=reason,
            )
    return parked
