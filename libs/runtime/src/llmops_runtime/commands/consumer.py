"""The command consumer: batch from Kafka, one transaction, replies, then offsets."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import asyncpg
import structlog
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.errors import KafkaError
from aiokafka.structs import OffsetAndMetadata

from llmops_runtime import metrics
from llmops_runtime.auth import Authorizer, TokenVerifier
from llmops_runtime.commands import errors
from llmops_runtime.commands.batch import BatchProcessor
from llmops_runtime.commands.handlers import CommandRegistry
from llmops_runtime.commands.intake import Incoming, read_record
from llmops_runtime.commands.outcome import Outcome, rejected
from llmops_runtime.commands.publish import ReplyPublisher
from llmops_runtime.commands.settings import CommandBusSettings
from llmops_runtime.commands.tables import create_command_tables
from llmops_runtime.commands.topics import (
    COMMANDS_TOPIC_MAX_BYTES,
    commands_topic,
    dead_letter_topic,
    ensure_topics,
)
from llmops_runtime.eventstore import EventStore
from llmops_runtime.kafka_security import kafka_security

log = structlog.get_logger("llmops.commands")

AfterCommitHook = Callable[[Sequence[Outcome]], Awaitable[None]]
Records = dict[TopicPartition, list[Any]]


class CommandConsumer:
    """Consumes `llmops.<svc>.commands`; `await start()`, then `await run()` until `stop()`."""

    def __init__(
        self,
        service: str,
        bootstrap: str,
        store: EventStore,
        registry: CommandRegistry,
        verifier: TokenVerifier,
        *,
        authorizer: Authorizer | None = None,
        settings: CommandBusSettings | None = None,
        group_id: str | None = None,
        after_db_commit: AfterCommitHook | None = None,
        create_tables: bool = True,
    ) -> None:
        self.service = service
        self.bootstrap = bootstrap
        self.store = store
        self.registry = registry
        self.settings = settings or CommandBusSettings()
        self.topic = commands_topic(service)
        self.group_id = group_id or f"llmops.{service}.command-handler"
        self.processor = BatchProcessor(
            service,
            store,
            verifier,
            authorizer,
            self.settings.max_conflict_retries,
            registry.retryable_codes,
        )
        # Fault-injection point for tests: runs between the DB commit and the offset commit.
        self.after_db_commit = after_db_commit
        self.create_tables = create_tables  # False: the owner migrated, this role has no DDL
        self._consumer: AIOKafkaConsumer | None = None
        self._producer: AIOKafkaProducer | None = None
        self._stopping = asyncio.Event()
        self._lag_at = 0.0
        self._committing: asyncio.Future[None] | None = None
        self._rewind: dict[TopicPartition, int] = {}
        self._running = asyncio.Event()
        self._running.set()  # set while run() is not running

    async def start(self) -> None:
        """Create tables and topics, then join the consumer group."""
        if self.create_tables:
            await self.store.create()
            async with self.store.pool.acquire() as conn:
                await create_command_tables(conn, self.store.schema)
        dlq = dead_letter_topic(self.topic)
        await ensure_topics(
            self.bootstrap,
            {self.topic: self.settings.partitions, dlq: self.settings.partitions},
            configs={
                self.topic: {"max.message.bytes": str(COMMANDS_TOPIC_MAX_BYTES)},
                dlq: {"max.message.bytes": str(COMMANDS_TOPIC_MAX_BYTES)},
            },
        )
        self._producer = AIOKafkaProducer(
            bootstrap_servers=self.bootstrap,
            **kafka_security(),
            acks="all",
            enable_idempotence=True,
            linger_ms=self.settings.linger_ms,
            max_request_size=COMMANDS_TOPIC_MAX_BYTES + 65536,
        )
        await self._producer.start()
        self._publisher = ReplyPublisher(
            self._producer, self.service, dlq, self.settings.reply_timeout_s
        )
        self._consumer = AIOKafkaConsumer(
            self.topic,
            bootstrap_servers=self.bootstrap,
            **kafka_security(),
            group_id=self.group_id,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            max_partition_fetch_bytes=COMMANDS_TOPIC_MAX_BYTES + 65536,
            group_instance_id=self.settings.group_instance_id,
            session_timeout_ms=self.settings.session_timeout_ms,
        )
        await self._consumer.start()

    async def run(self) -> None:
        """Process batches until stop(); bad input never ends this loop."""
        assert self._consumer is not None
        self._running.clear()
        try:
            while not self._stopping.is_set():
                batch = await self._consumer.getmany(
                    timeout_ms=self.settings.poll_timeout_ms, max_records=self.settings.max_batch
                )
                if self._rewind:
                    batch = {}
                    self._seek(dict(self._rewind))
                    self._rewind.clear()
                if batch:
                    await self.handle(batch)
                await self._update_lag()
        finally:
            self._running.set()

    async def stop(self) -> None:
        """Leave the group without committing anything further."""
        self._stopping.set()
        # Let run() finish its batch before its clients close under it.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._running.wait(), 30)
        if self._committing is not None:
            with contextlib.suppress(Exception):
                await self._committing
        if self._consumer is not None:
            await self._consumer.stop()
        if self._producer is not None:
            await self._producer.stop()

    async def handle(self, batch: Records) -> None:
        """One batch: decide and store in one transaction, reply, then commit offsets."""
        started = time.perf_counter()
        records = [r for part in batch.values() for r in part]
        items = [
            read_record(r.value, r.headers, self.registry, self.settings.max_command_bytes)
            for r in records
        ]
        outcomes = await self._store_batch(items)
        self._count(outcomes)
        if self.after_db_commit is not None:
            await self.after_db_commit(outcomes)
        try:
            acks = await self._publisher.publish(outcomes, records)
            self._commit_offsets(batch, acks)
        except KafkaError:
            # Results are stored: re-reading the batch re-replies from them, appending nothing.
            log.exception("command_batch_publish_failed")
            self._seek_back(batch)
        metrics.BATCH_SECONDS.labels(self.service).observe(time.perf_counter() - started)

    def _commit_offsets(self, batch: Records, acks: list[Any]) -> None:
        # Runs in the background so the next batch's database work overlaps the reply acks and
        # the commit round trip. Offsets are committed only after this batch's replies are
        # acknowledged, in batch order; a failure rewinds to the batch (stored results answer
        # the re-delivery without appending).
        assert self._consumer is not None
        previous = self._committing
        offsets = {tp: OffsetAndMetadata(rs[-1].offset + 1, "") for tp, rs in batch.items()}
        consumer = self._consumer

        async def commit() -> None:
            if previous is not None:
                with contextlib.suppress(Exception):
                    await previous
            try:
                await asyncio.gather(*acks)
                await consumer.commit(offsets)
            except Exception:  # never skip a batch: rewind to it, stored results answer again
                log.exception("command_batch_publish_failed")
                for tp, rs in batch.items():
                    self._rewind[tp] = min(self._rewind.get(tp, rs[0].offset), rs[0].offset)

        self._committing = asyncio.ensure_future(commit())
        self._committing.add_done_callback(self._commit_done)

    def _commit_done(self, task: asyncio.Future[None]) -> None:
        if not task.cancelled() and task.exception() is not None:
            log.warning("command_offset_commit_failed", error=str(task.exception()))

    async def _store_batch(self, items: list[Incoming]) -> list[Outcome]:
        pool: asyncpg.Pool = self.store.pool
        attempt = 0
        while True:
            try:
                async with pool.acquire() as conn, conn.transaction():
                    return await self.processor.process(conn, items, isolate=attempt > 0)
            except (asyncpg.PostgresError, OSError, asyncpg.InterfaceError):
                # Rolled back: retry with a SAVEPOINT per command so one poison append is
                # rejected alone; a database outage is waited out with a growing pause.
                log.exception("command_batch_failed", attempt=attempt)
                await asyncio.sleep(min(0.05 * 2**attempt, 5.0) if attempt else 0)
                attempt += 1
            except Exception:
                # Not the database: a record met a bug. Decide the records one by one, so only
                # the one that fails is rejected (unstored) and the loop goes on.
                log.exception("command_batch_crashed", size=len(items))
                if len(items) == 1:
                    outcome = _crashed(items[0])
                    await self._audit_crashed(outcome)
                    return [outcome]
                return [o for item in items for o in await self._store_batch([item])]

    async def _audit_crashed(self, outcome: Outcome) -> None:
        # Even a command that met a bug is audited (its refusal, in a transaction of its own).
        try:
            async with self.store.pool.acquire() as conn, conn.transaction():
                await self.processor.audit_alone(conn, outcome.item, outcome.result)
        except Exception:
            log.exception("command_audit_unstorable", command_id=outcome.item.command_id)

    def _seek_back(self, batch: Records) -> None:
        self._seek({tp: rs[0].offset for tp, rs in batch.items()})

    def _seek(self, offsets: dict[TopicPartition, int]) -> None:
        # A rebalance may have revoked a partition meanwhile (seeking it raises): its new owner
        # starts from the last committed offset anyway.
        assert self._consumer is not None
        assigned = self._consumer.assignment()
        for tp, offset in offsets.items():
            if tp in assigned:
                self._consumer.seek(tp, offset)

    def _count(self, outcomes: Sequence[Outcome]) -> None:
        for o in outcomes:
            if o.replayed:
                metrics.COMMANDS_REPLAYED.labels(self.service).inc()
            elif o.result.accepted:
                kind = o.item.envelope.type if o.item.envelope else "?"
                metrics.COMMANDS_ACCEPTED.labels(self.service, kind).inc()
            else:
                metrics.COMMANDS_REJECTED.labels(self.service, o.result.code or "?").inc()

    async def _update_lag(self) -> None:
        # Once a second at most: the gauge is for dashboards, not for the hot path.
        now = time.monotonic()
        if now - self._lag_at < 1.0:
            return
        self._lag_at = now
        assert self._consumer is not None
        try:
            for tp in self._consumer.assignment():
                high = self._consumer.highwater(tp)
                if high is not None:
                    lag = max(high - await self._consumer.position(tp), 0)
                    metrics.CONSUMER_LAG.labels(self.service, str(tp.partition)).set(lag)
        except KafkaError:  # e.g. a partition revoked during position(): only a gauge is late
            log.warning("command_lag_unavailable", exc_info=True)


def _crashed(item: Incoming) -> Outcome:
    message = "the command could not be processed"
    result = rejected(item.command_id, errors.INTERNAL_ERROR, message, item)
    return Outcome(item, result, new=False)
