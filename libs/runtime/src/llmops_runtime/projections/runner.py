"""The live projection runner: batches applied with their offsets in one transaction."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import asyncpg
import structlog
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError

from llmops_runtime.connection_lost import DATABASE_TRANSIENT, shutting_down
from llmops_runtime.eventstore.sqlnames import checked_identifier
from llmops_runtime.leadership import leadership
from llmops_runtime.projections.apply import apply_events
from llmops_runtime.projections.dead_letters import publish_dead_letters
from llmops_runtime.projections.declaration import ProjectionLike, source_topics
from llmops_runtime.projections.sources import EventSource, KafkaSource, StoreSource
from llmops_runtime.projections.tracking import (
    Parked,
    SourcedEvent,
    SourceKey,
    Unreadable,
    create_tracking_tables,
    load_offsets,
    lock_projection,
    park,
    park_unreadable,
    save_offsets,
)
from llmops_runtime.relay.publisher import idempotent_producer
from llmops_runtime.relay.topics import ensure_topics

log = structlog.get_logger(__name__)

# Outages to ride out: back off, take a fresh connection and leadership, re-read from offsets.
_TRANSIENT = (*DATABASE_TRANSIENT, KafkaError, OSError, TimeoutError)
_MAX_BACKOFF_S = 5.0
_DEAD_LETTER_TIMEOUT_S = 10.0


class ProjectionRunner:
    """Keeps one projection up to date: exactly-once effect over at-least-once delivery.

    Each batch commits its effects, the offsets reached and the applied event ids together;
    a restart seeks to the stored offsets, and an event id seen before changes nothing.
    """

    def __init__(
        self,
        pool: asyncpg.Pool,
        schema: str,
        projection: ProjectionLike,
        *,
        bootstrap: str | None = None,
        batch_size: int = 500,
        max_attempts: int = 3,
        poll_interval_s: float = 1.0,
        dead_letter_topic: str | None = None,
        create_tables: bool = True,
    ) -> None:
        self.pool = pool
        self.schema = checked_identifier(schema)
        self.projection = projection
        self.bootstrap = bootstrap
        self.batch_size = batch_size
        self.max_attempts = max_attempts
        self.poll_interval_s = poll_interval_s
        self.dead_letter_topic = dead_letter_topic
        # False when an owner migrated the schema and this role may not run DDL.
        self.create_tables = create_tables
        self.topics = source_topics(projection)
        if dead_letter_topic is None and len(self.topics) == 1:
            self.dead_letter_topic = f"{self.topics[0]}.dlq"
        elif dead_letter_topic is None and self.topics:
            # Several topics: the dead letters are the projection's, not one topic's.
            self.dead_letter_topic = f"llmops.{self.schema}.{projection.name}.dlq"
        self._expected: dict[SourceKey, int] = {}
        self._producer: AIOKafkaProducer | None = None
        self._dead: tuple[list[Parked], list[Unreadable]] = ([], [])
        self._backoff = 0.2

    def _source(self) -> EventSource:
        if not self.topics:
            return StoreSource(
                self.pool,
                self.schema,
                batch_size=self.batch_size,
                poll_interval_s=self.poll_interval_s,
            )
        if self.bootstrap is None:
            raise ValueError(f"projection {self.projection.name} reads Kafka: bootstrap needed")
        return KafkaSource(
            self.bootstrap,
            self.topics,
            group_id=f"llmops.{self.schema}.{self.projection.name}",
            batch_size=self.batch_size,
            wait_ms=int(self.poll_interval_s * 1000),
        )

    async def setup(self) -> None:
        """Create the projection's tables and the tracking tables if missing."""
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.execute(
                "SELECT pg_advisory_xact_lock(hashtext('llmops-ddl:' || $1))", self.schema
            )
            await create_tracking_tables(conn, self.schema)
            await self.projection.create_tables(conn, self.schema)

    async def run(self) -> None:
        """Run until cancelled, riding out outages; one active runner per projection."""
        while True:
            try:
                await self._lead_and_run()
            except _TRANSIENT as exc:
                if shutting_down(self.pool):
                    raise asyncio.CancelledError from exc
                log.warning("projection.retrying", projection=self.projection.name, error=repr(exc))
                await asyncio.sleep(self._backoff)
                self._backoff = min(self._backoff * 2, _MAX_BACKOFF_S)

    async def _lead_and_run(self) -> None:
        if self.create_tables:
            await self.setup()
        async with self.pool.acquire() as leader:
            key = f"llmops-runner:{self.schema}:{self.projection.name}"
            async with leadership(leader, key, self.poll_interval_s):
                await self._run_source()

    async def _run_source(self) -> None:
        source = self._source()
        if self.bootstrap is not None:
            if self.dead_letter_topic is not None:
                await ensure_topics(self.bootstrap, [self.dead_letter_topic], partitions=1)
            self._producer = idempotent_producer(self.bootstrap)
            await self._producer.start()
        try:
            async with self.pool.acquire() as conn:
                self._expected = await load_offsets(conn, self.schema, self.projection.name)
            await source.start(self._expected)
            while True:
                batch = await source.next_batch()
                unreadable = source.take_unreadable()
                if (batch or unreadable) and await self.process(batch, source, unreadable):
                    self._backoff = 0.2
                    await self.publish_dead_letters()
                    await self.after_commit(source, self._expected)
        finally:
            await source.stop()
            if self._producer is not None:
                await self._producer.stop()

    async def process(
        self,
        batch: Sequence[SourcedEvent],
        source: EventSource,
        unreadable: Sequence[Unreadable] = (),
    ) -> bool:
        """Apply, park and store the offsets reached in one transaction; False if re-seeked."""
        name = self.projection.name
        async with self.pool.acquire() as conn, conn.transaction():
            await lock_projection(conn, self.schema, name)
            stored = await load_offsets(conn, self.schema, name)
            if stored != self._expected:
                # A rebuild swapped in other offsets (or another runner moved on): follow them.
                log.info("projection.reseek", projection=name, offsets=str(stored))
                self._expected = stored
                await source.seek(stored)
                return False
            parked = await apply_events(
                conn,
                self.projection,
                self.schema,
                self.schema,
                name,
                batch,
                self.max_attempts,
                deduplicate=bool(self.topics),
            )
            if parked:
                await park(conn, self.schema, name, parked)
            if unreadable:
                await park_unreadable(conn, self.schema, name, unreadable)
            read = [(e.topic, e.partition, e.offset) for e in batch]
            read += [(u.topic, u.partition, u.offset) for u in unreadable]
            ends: dict[SourceKey, int] = {}
            for topic, partition, offset in read:
                ends[(topic, partition)] = max(ends.get((topic, partition), 0), offset + 1)
            reached = {**stored, **ends}
            await save_offsets(conn, self.schema, name, reached)
        self._expected = reached
        self._dead = (parked, list(unreadable))
        return True

    async def publish_dead_letters(self) -> None:
        """Copy the batch's dead letters to the .dlq topic; the table is the record of truth."""
        parked, unreadable = self._dead
        self._dead = ([], [])
        if self._producer is None or self.dead_letter_topic is None:
            return
        if not parked and not unreadable:
            return
        try:
            await asyncio.wait_for(
                publish_dead_letters(
                    self._producer, self.dead_letter_topic, self.projection.name, parked, unreadable
                ),
                _DEAD_LETTER_TIMEOUT_S,
            )
        except Exception as exc:
            log.warning("projection.dead_letter_publish_failed", error=repr(exc))

    async def after_commit(self, source: EventSource, offsets: dict[SourceKey, int]) -> None:
        """Mirror offsets to Kafka for monitoring; losing this step is harmless."""
        if isinstance(source, KafkaSource):
            try:
                await source.commit(offsets)
            except Exception as exc:
                log.warning("projection.kafka_commit_failed", error=repr(exc))
