"""One batch of commands in one PostgreSQL transaction: dedupe, authenticate, handle, store."""

from __future__ import annotations

import time
from collections.abc import Sequence

import asyncpg
import structlog
from opentelemetry import trace

from llmops_events.envelope import CommandEnvelope, CommandResult
from llmops_runtime import metrics
from llmops_runtime.auth import AllowAll, Authorizer, TokenVerifier
from llmops_runtime.commands import errors
from llmops_runtime.commands.audit_events import (
    AUDIT_METADATA,
    AUDIT_WIRE_TYPE,
    audit_events,
    audited_command,
    bare_audited_command,
)
from llmops_runtime.commands.context import BatchState
from llmops_runtime.commands.handle import Decision, decide_in_batch, run_handler
from llmops_runtime.commands.idempotency import (
    COMMAND_ID_CONFLICT,
    StoredResult,
    frozen,
    payload_digest,
)
from llmops_runtime.commands.intake import Incoming
from llmops_runtime.commands.outcome import Outcome, rejected
from llmops_runtime.connection_lost import DATABASE_TRANSIENT, transient
from llmops_runtime.eventstore import (
    ConcurrencyConflict,
    EventMetadata,
    EventStore,
    EventTooLarge,
    NewEvent,
)
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
        retryable_codes: frozenset[str] = frozenset(),
    ) -> None:
        self.service = service
        self.store = store
        self.verifier = verifier
        self.authorizer = authorizer or AllowAll()
        self.max_conflict_retries = max_conflict_retries
        self.retryable_codes = retryable_codes

    async def process(
        self, conn: asyncpg.Connection, items: Sequence[Incoming], *, isolate: bool = False
    ) -> list[Outcome]:
        """Outcomes in record order.

        Fast path: decide every command against the batch's state, then append all events in
        one call. On a concurrency conflict (nothing was written) the batch is re-run command
        by command, each retried against fresh state. With isolate (after a database error),
        each command is decided and stored in a SAVEPOINT of its own, so a command whose
        events, result or audit row the database refuses is rejected alone.
        """
        stored = await self._stored(conn, items)
        if isolate:
            return await self._isolated(conn, items, stored)
        try:
            return await self._run(conn, items, dict(stored), batched=True)
        except ConcurrencyConflict as conflict:
            log.info("command_batch_conflict", stream_id=str(conflict.stream_id))
        return await self._run(conn, items, stored, batched=False)

    async def _stored(
        self, conn: asyncpg.Connection, items: Sequence[Incoming]
    ) -> dict[str, StoredResult]:
        ids = [i.command_id for i in items if i.command_id]
        rows = await conn.fetch(
            f"SELECT command_id, result::text, actor, wire_type, digest"
            f" FROM {self.store.schema}.command_results WHERE command_id = ANY($1::text[])",
            ids,
        )
        return {
            r[0]: StoredResult(CommandResult.model_validate_json(r[1]), r[2], r[3], r[4])
            for r in rows
        }

    async def _isolated(
        self, conn: asyncpg.Connection, items: Sequence[Incoming], stored: dict[str, StoredResult]
    ) -> list[Outcome]:
        outcomes: list[Outcome] = []
        for item in items:
            seen = dict(stored)
            try:
                async with conn.transaction():
                    outcomes.extend(await self._run(conn, [item], seen, batched=False))
            except asyncpg.PostgresError as exc:
                if transient(exc):
                    raise  # the whole batch waits for the database, nothing is refused
                log.exception("command_unstorable", command_id=item.command_id)
                message = f"the command could not be stored: {type(exc).__name__}"
                result = rejected(item.command_id, errors.INTERNAL_ERROR, message, item)
                outcomes.append(Outcome(item, result, new=False))
                await self.audit_alone(conn, item, result)
                continue
            stored.update(seen)
        return outcomes

    async def audit_alone(
        self, conn: asyncpg.Connection, item: Incoming, result: CommandResult
    ) -> None:
        """Audit one refusal (row and event) in a savepoint of its own, whatever the batch did."""
        # The refusal is audited even when the command's own row was what the database refused;
        # failing that, with nothing but its code.
        attempts = (
            (_audit_row(item, result, None, False), audited_command(item, result, None, False)),
            (_bare_audit_row(result), bare_audited_command(result)),
        )
        for row, entry in attempts:
            try:
                async with conn.transaction():
                    await self._insert_audit(conn, [row])
                    await self._append(conn, [], [], [entry])
                return
            except asyncpg.PostgresError as exc:
                if transient(exc):
                    raise
                log.exception("command_audit_unstorable", command_id=item.command_id)

    async def _run(
        self,
        conn: asyncpg.Connection,
        items: Sequence[Incoming],
        stored: dict[str, StoredResult],
        *,
        batched: bool,
    ) -> list[Outcome]:
        state = BatchState(conn, self.store)
        pending: list[Decision] | None = [] if batched else None
        outcomes: list[Outcome] = []
        audit: list[tuple[object, ...]] = []
        entries: list[dict[str, object]] = []
        results: list[tuple[str, str, str, str, str]] = []
        for item in items:
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
                outcome, actor, verified, recorded = await self._decide_record(
                    conn, state, item, stored, pending
                )
                if not outcome.replayed:
                    audit.append(_audit_row(item, outcome.result, actor, verified))
                    entries.append(audited_command(item, outcome.result, actor, verified, recorded))
            outcomes.append(outcome)
            if outcome.new and item.envelope is not None and actor is not None:
                known = StoredResult(
                    outcome.result, actor, item.envelope.type, payload_digest(item.envelope)
                )
                stored[item.envelope.command_id] = known
                results.append(
                    (
                        item.envelope.command_id,
                        outcome.result.model_dump_json(),
                        actor,
                        item.envelope.type,
                        str(known.digest),
                    )
                )
        # The batch's events and its audit in one append: one extra row, in the same chain.
        events = [e for d in pending or () for e in d.events]
        metas = [d.metadata for d in pending or () for _ in d.events]
        await self._append(conn, events, metas, entries)
        await self._record(conn, results, audit)
        return outcomes

    async def _append(
        self,
        conn: asyncpg.Connection,
        events: list[NewEvent],
        metas: list[EventMetadata],
        entries: list[dict[str, object]],
    ) -> None:
        # Each command's events were size-checked alone; only the audit can be too large,
        # and then it is split over more events (nothing was written by the refused append).
        chunks = 1
        while True:
            audit = audit_events(self.service, entries, chunks)
            try:
                await self.store.append(
                    conn, [*events, *audit], [*metas, *[AUDIT_METADATA] * len(audit)]
                )
                return
            except EventTooLarge as exc:
                if exc.wire_type != AUDIT_WIRE_TYPE or chunks >= len(entries):
                    raise
                chunks *= 2

    async def _decide_record(
        self,
        conn: asyncpg.Connection,
        state: BatchState,
        item: Incoming,
        stored: dict[str, StoredResult],
        pending: list[Decision] | None,
    ) -> tuple[Outcome, str | None, bool, list[NewEvent]]:
        # Only a verified actor's decided command is stored: anyone can send a record with
        # somebody else's command id, and that must never freeze the genuine command's answer.
        if item.rejection is not None or item.envelope is None or item.dead_letter:
            rejection = item.rejection or errors.CommandRejected(
                errors.INVALID_ENVELOPE,
                f"the command has no readable reply address (a topic {REPLY_TOPIC_PREFIX}*)",
            )
            result = rejected(item.command_id, rejection.code, rejection.message, item)
            return Outcome(item, result, new=False), None, False, []
        envelope, registration, payload = item.envelope, item.registration, item.payload
        assert registration is not None
        assert payload is not None
        try:
            actor = self.verifier.verify(envelope.actor_token)
        except errors.CommandRejected as exc:
            log.info("command_unauthenticated", command_id=envelope.command_id, reason=exc.message)
            result = rejected(envelope.command_id, exc.code, exc.message, item)
            return Outcome(item, result, new=False), exc.claimed_actor, False, []
        except Exception as exc:  # a token the verifier chokes on is unauthenticated, not fatal
            log.exception("command_token_unverifiable", command_id=envelope.command_id)
            message = f"the actor token could not be verified: {type(exc).__name__}"
            result = rejected(envelope.command_id, errors.UNAUTHENTICATED, message, item)
            return Outcome(item, result, new=False), None, False, []
        known = stored.get(envelope.command_id)
        if known is not None:
            return self._answer_again(item, envelope, known, actor.name), actor.name, True, []
        started = time.perf_counter()
        recorded: list[NewEvent] = []
        try:
            await self.authorizer.authorize(actor, envelope.type, payload)
            if pending is not None:
                decision = await decide_in_batch(
                    state, self.store, envelope, registration, payload, actor.name
                )
                pending.append(decision)
            else:
                decision = await run_handler(
                    conn,
                    state,
                    self.store,
                    envelope,
                    registration,
                    payload,
                    actor.name,
                    max_retries=self.max_conflict_retries,
                )
            result, recorded = decision.result, decision.events
        except DATABASE_TRANSIENT:
            raise  # a lock timeout or lost connection is not the command's fault: retry the batch
        except Exception as exc:  # a handler's failure rejects its command, never the batch
            result = _rejection_for(envelope.command_id, exc)
        metrics.HANDLER_SECONDS.labels(self.service, envelope.type).observe(
            time.perf_counter() - started
        )
        outcome = Outcome(item, result, new=frozen(result, self.retryable_codes))
        return outcome, actor.name, True, recorded

    def _answer_again(
        self, item: Incoming, envelope: CommandEnvelope, known: StoredResult, actor: str
    ) -> Outcome:
        if known.answers(actor, envelope):
            return Outcome(item, known.result, replayed=True, new=False)
        log.warning("command_id_conflict", command_id=envelope.command_id)
        message = (
            f"command id {envelope.command_id!r} was already used for another command (another"
            " actor, command type or payload); send this command with a new id"
        )
        return Outcome(
            item,
            rejected(envelope.command_id, COMMAND_ID_CONFLICT, message, item),
            new=False,
        )

    async def _record(
        self,
        conn: asyncpg.Connection,
        results: list[tuple[str, str, str, str, str]],
        audit: list[tuple[object, ...]],
    ) -> None:
        if results:
            columns = [list(c) for c in zip(*results, strict=True)]
            await conn.execute(
                f"INSERT INTO {self.store.schema}.command_results"
                " (command_id, result, actor, wire_type, digest)"
                " SELECT c, r::jsonb, a, w, d"
                " FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])"
                " AS t(c, r, a, w, d)",
                *columns,
            )
        if audit:
            await self._insert_audit(conn, audit)

    async def _insert_audit(
        self, conn: asyncpg.Connection, audit: list[tuple[object, ...]]
    ) -> None:
        columns = list(zip(*audit, strict=True))
        await conn.execute(
            f"INSERT INTO {self.store.schema}.command_audit (actor, actor_verified, command_id,"
            " wire_type, status, code, reason, correlation_id, trace_id) SELECT * FROM unnest("
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


def _bare_audit_row(result: CommandResult) -> tuple[object, ...]:
    return (None, False, None, None, result.status, result.code, None, None, None)
