"""One batch of commands in one PostgreSQL transaction: dedupe, authenticate, handle, store."""

from __future__ import annotations

import time
from collections.abc import Sequence

import asyncpg
import structlog
from opentelemetry import trace

from llmops_events.envelope import CommandResult
from llmops_runtime import metrics
from llmops_runtime.auth import AllowAll, Authorizer, TokenVerifier
from llmops_runtime.commands import errors
from llmops_runtime.commands.context import BatchState
from llmops_runtime.commands.handle import Decision, decide, run_handler
from llmops_runtime.commands.intake import Incoming
from llmops_runtime.commands.outcome import Outcome, rejected
from llmops_runtime.connection_lost import DATABASE_TRANSIENT
from llmops_runtime.eventstore import ConcurrencyConflict, EventStore
from llmops_runtime.rejections import capped_field_errors, rejection_from, short_text
from llmops_runtime.topics import REPLY_TOPIC_PREFIX
from llmops_runtime.tracing import context_from, current_trace_id

log = structlog.get_logger("llmops.commands")
tracer = trace.get_tracer("llmops.commands")


class BatchProcessor:
    """Decides every record of a batch inside the caller's transaction, in order."""

    def __init__(
        self,
        service: str,
        store: EventStore,
        verifier: TokenVerifier,
        authorizer: Authorizer | None = None,
        max_conflict_retries: int = 3,
    ) -> None:
        self.service = service
        self.store = store
        self.verifier = verifier
        self.authorizer = authorizer or AllowAll()
        self.max_conflict_retries = max_conflict_retries

    async def process(
        self, conn: asyncpg.Connection, items: Sequence[Incoming], *, isolate: bool = False
    ) -> list[Outcome]:
        """Outcomes in record order.

        Fast path: decide every command against the batch's state, then append all events in
        one call. On a concurrency conflict (nothing was written) the batch is re-run command
        by command, each retried against fresh state; with isolate (after a database error),
        each command's append also runs in its own SAVEPOINT.
        """
        ids = [i.command_id for i in items if i.command_id]
        rows = await conn.fetch(
            f"SELECT command_id, result::text FROM {self.store.schema}.command_results"
            " WHERE command_id = ANY($1::text[])",
            ids,
        )
        stored = {r[0]: CommandResult.model_validate_json(r[1]) for r in rows}
        if not isolate:
            try:
                return await self._run(conn, items, dict(stored), batched=True, isolate=False)
            except ConcurrencyConflict as conflict:
                log.info("command_batch_conflict", stream_id=str(conflict.stream_id))
        return await self._run(conn, items, stored, batched=False, isolate=isolate)

    async def _run(
        self,
        conn: asyncpg.Connection,
        items: Sequence[Incoming],
        stored: dict[str, CommandResult],
        *,
        batched: bool,
        isolate: bool,
    ) -> list[Outcome]:
        state = BatchState(conn, self.store)
        pending: list[Decision] | None = [] if batched else None
        outcomes: list[Outcome] = []
        audit: list[tuple[object, ...]] = []
        for item in items:
            known = stored.get(item.command_id) if item.command_id else None
            if known is not None:
                outcomes.append(Outcome(item, known, replayed=True, new=False))
                continue
            with (
                tracer.start_as_current_span(
                    f"handle {item.envelope.type if item.envelope else 'unreadable command'}",
                    context=context_from(item.traceparent),
                    kind=trace.SpanKind.CONSUMER,
                ),
                # Every log line about this command carries its ids (and the span's trace id).
                structlog.contextvars.bound_contextvars(
                    command_id=item.command_id, correlation_id=item.correlation_id
                ),
            ):
                outcome, actor, verified = await self._decide(conn, state, item, isolate, pending)
                audit.append(_audit_row(item, outcome.result, actor, verified))
            outcomes.append(outcome)
            if item.command_id:
                stored[item.command_id] = outcome.result
            else:
                outcome.new = False
        if pending:
            events = [e for d in pending for e in d.events]
            metas = [d.metadata for d in pending for _ in d.events]
            await self.store.append(conn, events, metas)
        await self._record(conn, outcomes, audit)
        return outcomes

    async def _decide(
        self,
        conn: asyncpg.Connection,
        state: BatchState,
        item: Incoming,
        isolate: bool,
        pending: list[Decision] | None,
    ) -> tuple[Outcome, str | None, bool]:
        if item.rejection is not None or item.envelope is None or item.dead_letter:
            rejection = item.rejection or errors.CommandRejected(
                errors.INVALID_ENVELOPE,
                f"the command has no readable reply address (a topic {REPLY_TOPIC_PREFIX}*)",
            )
            return (
                Outcome(item, rejected(item.command_id, rejection.code, rejection.message, item)),
                None,
                False,
            )
        envelope, registration, payload = item.envelope, item.registration, item.payload
        assert registration is not None
        assert payload is not None
        try:
            actor = self.verifier.verify(envelope.actor_token)
        except errors.CommandRejected as exc:
            log.info("command_unauthenticated", command_id=envelope.command_id, reason=exc.message)
            return (
                Outcome(item, rejected(envelope.command_id, exc.code, exc.message, item)),
                exc.claimed_actor,
                False,
            )
        except Exception as exc:  # a token the verifier chokes on is unauthenticated, not fatal
            log.exception("command_token_unverifiable", command_id=envelope.command_id)
            message = f"the actor token could not be verified: {type(exc).__name__}"
            result = rejected(envelope.command_id, errors.UNAUTHENTICATED, message, item)
            return Outcome(item, result), None, False
        started = time.perf_counter()
        try:
            await self.authorizer.authorize(actor, envelope.type, payload)
            if pending is not None:
                decision = await decide(
                    state, self.store, envelope, registration, payload, actor.name
                )
                pending.append(decision)
                result = decision.result
            else:
                result = await run_handler(
                    conn,
                    state,
                    self.store,
                    envelope,
                    registration,
                    payload,
                    actor.name,
                    isolate=isolate,
                    max_retries=self.max_conflict_retries,
                )
        except DATABASE_TRANSIENT:
            raise  # a lock timeout or lost connection is not the command's fault: retry the batch
        except Exception as exc:  # a handler's failure rejects its command, never the batch
            result = _rejection_for(envelope.command_id, exc)
        metrics.HANDLER_SECONDS.labels(self.service, envelope.type).observe(
            time.perf_counter() - started
        )
        return Outcome(item, result), actor.name, True

    async def _record(
        self, conn: asyncpg.Connection, outcomes: list[Outcome], audit: list[tuple[object, ...]]
    ) -> None:
        s = self.store.schema
        new = [o for o in outcomes if o.new]
        if new:
            await conn.execute(
                f"INSERT INTO {s}.command_results (command_id, result)"
                " SELECT c, r::jsonb FROM unnest($1::text[], $2::text[]) AS t(c, r)",
                [o.result.command_id for o in new],
                [o.result.model_dump_json() for o in new],
            )
        if audit:
            columns = list(zip(*audit, strict=True))
            await conn.execute(
                f"INSERT INTO {s}.command_audit (actor, actor_verified, command_id, wire_type,"
                " status, code, reason, correlation_id, trace_id) SELECT * FROM unnest("
                "$1::text[], $2::bool[], $3::text[], $4::text[], $5::text[], $6::text[],"
                " $7::text[], $8::text[], $9::text[])",
                *[list(c) for c in columns],
            )


def _rejection_for(command_id: str, exc: Exception) -> CommandResult:
    try:
        rejection = rejection_from(exc)
        if rejection is not None:
            # Capped here too: a handler may have changed its rejection after raising it.
            return CommandResult(
                command_id=command_id,
                status="rejected",
                code=short_text(str(rejection.code)),
                message=short_text(str(rejection.message)),
                field_errors=capped_field_errors(list(rejection.field_errors)),
            )
    except Exception:  # an unreadable rejection is reported as the handler's failure
        log.exception("command_rejection_unreadable", command_id=command_id)
    log.exception("command_handler_failed", command_id=command_id)
    return CommandResult(
        command_id=command_id,
        status="rejected",
        code=errors.INTERNAL_ERROR,
        message=f"the handler failed: {type(exc).__name__}",
    )


def _audit_row(
    item: Incoming, result: CommandResult, actor: str | None, verified: bool
) -> tuple[object, ...]:
    wire_type = item.envelope.type if item.envelope else None
    return (
        actor,
        verified,
        item.command_id,
        wire_type,
        result.status,
        result.code,
        result.message if result.status == "rejected" else None,
        item.correlation_id,
        current_trace_id(),
    )
