"""The outbox relay: tails one service's event store in commit order and publishes to Kafka."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from typing import Any

import asyncpg
import structlog
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError
from prometheus_client import Counter, Gauge

from llmops_runtime.connection_lost import DATABASE_TRANSIENT, shutting_down
from llmops_runtime.eventstore.reading import read_after
from llmops_runtime.eventstore.records import StoredRecord
from llmops_runtime.eventstore.sqlnames import checked_identifier, notify_channel
from llmops_runtime.leadership import leadership
from llmops_runtime.relay.checkpoints import Checkpointer
from llmops_runtime.relay.publisher import RecordRefused, idempotent_producer, publish_envelopes
from llmops_runtime.relay.publishing import Publication, publish_everything

log = structlog.get_logger(__name__)

REFUSED_RECORDS = Counter(
    "llmops_relay_refused_records_total",
    "Events the broker or producer refused for good (too large, invalid): the relay halts.",
    ["topic"],
)
BLOCKED_POSITION = Gauge(
    "llmops_relay_blocked_position",
    "Position of the event the relay is halted on (0 while it publishes).",
    ["topic"],
)


class OutboxRelay:
    """Publishes every stored event to `topic`, recording its position only after broker ack.

    One relay is active per (schema, topic) across instances: the others wait on a session
    advisory lock. Delivery is at-least-once (a crash after the ack and before the position
    write re-publishes); every record carries its event id so consumers drop duplicates.
    """

    def __init__(
        self,
        pool: asyncpg.Pool,
        schema: str,
        topic: str,
        bootstrap: str,
        *,
        batch_size: int = 1000,
        poll_interval_s: float = 1.0,
        max_backoff_s: float = 5.0,
        stop_timeout_s: float = 10.0,
        producer_factory: Callable[[], AIOKafkaProducer] | None = None,
        on_published: Callable[[Sequence[StoredRecord]], None] | None = None,
        checkpointer: Checkpointer | None = None,
        publication: Publication | None = None,
    ) -> None:
        self.pool = pool
        self.schema = checked_identifier(schema)
        self.topic = topic
        self.batch_size = batch_size
        self.poll_interval_s = poll_interval_s
        self.max_backoff_s = max_backoff_s
        self.stop_timeout_s = stop_timeout_s
        self._producer_factory = producer_factory or (lambda: idempotent_producer(bootstrap))
        # Called with each batch once the broker acknowledged it (metrics, benchmarks).
        self.on_published = on_published
        # Signs the published head to the audit-checkpoints topic (see relay/checkpoints.py).
        self.checkpointer = checkpointer
        # Which stored events leave the service and how (None: every event, as stored).
        self._to_publish = publish_everything if publication is None else publication.envelopes
        self._wake = asyncio.Event()
        self.position = 0
        self.is_leader = False
        # Set when a record was refused for good: the relay halts there instead of looping.
        self.refused: RecordRefused | None = None

    async def run(self) -> None:
        """Run until cancelled: lead, then relay, riding out broker and database outages."""
        backoff = 0.2
        while True:
            try:
                await self._lead_and_relay()
            except DATABASE_TRANSIENT as exc:
                if shutting_down(self.pool):
                    raise asyncio.CancelledError from exc
                # Leadership went with the session: take a fresh connection and lock.
                self.is_leader = False
                log.warning("relay.database_unavailable", topic=self.topic, error=repr(exc))
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, self.max_backoff_s)

    async def _lead_and_relay(self) -> None:
        key = f"llmops-relay:{self.schema}:{self.topic}"
        async with self.pool.acquire() as conn, leadership(conn, key, self.poll_interval_s):
            self.is_leader = True
            log.info("relay.leader", schema=self.schema, topic=self.topic)
            channel = notify_channel(self.schema)
            await conn.add_listener(channel, self._on_notify)
            try:
                await self._relay_with_retries(conn)
            finally:
                if not conn.is_closed():
                    await conn.remove_listener(channel, self._on_notify)

    async def _relay_with_retries(self, conn: asyncpg.Connection) -> None:
        backoff = 0.2
        while True:
            try:
                await self._relay_forever(conn)
            except RecordRefused as refused:
                await self._halt(conn, refused)
            except (KafkaError, OSError, TimeoutError) as exc:
                log.warning("relay.broker_unavailable", topic=self.topic, error=repr(exc))
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, self.max_backoff_s)

    async def _halt(self, conn: asyncpg.Connection, refused: RecordRefused) -> None:
        """Report a record refused for good, keep what was acked before it, and wait forever.

        Skipping it would break commit order; retrying would refuse it again. The relay keeps
        leadership so no other instance loops on it; fix the topic or the event, then restart.
        """
        position = refused.envelope.position
        if position - 1 > self.position:
            await self.record_position(conn, position - 1)
        self.refused = refused
        REFUSED_RECORDS.labels(self.topic).inc()
        BLOCKED_POSITION.labels(self.topic).set(position)
        log.error(
            "relay.record_refused",
            topic=self.topic,
            position=position,
            event_id=str(refused.envelope.event_id),
            wire_type=refused.envelope.wire_type,
            error=repr(refused.error),
        )
        await asyncio.Event().wait()

    def _on_notify(self, *_: Any) -> None:
        self._wake.set()

    async def _relay_forever(self, conn: asyncpg.Connection) -> None:
        producer = self._producer_factory()
        await producer.start()
        try:
            self.position = await self.stored_position(conn)
            while True:
                self._wake.clear()
                sent = await self.relay_batch(conn, producer)
                if sent < self.batch_size:
                    # polling fallback in case a notification was missed
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), self.poll_interval_s)
        finally:
            # With the broker gone, stop() would wait for undeliverable batches indefinitely.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(producer.stop(), self.stop_timeout_s)

    async def relay_batch(self, conn: asyncpg.Connection, producer: AIOKafkaProducer) -> int:
        """Publish the next batch after the current position; return how many were sent."""
        records = await read_after(conn, self.schema, self.position, self.batch_size)
        if not records:
            if self.checkpointer is not None:
                await self.checkpointer.after_batch(producer, records)
            return 0
        envelopes = self._to_publish(records)
        if envelopes:
            await publish_envelopes(producer, self.topic, envelopes)
        if self.on_published is not None:
            self.on_published(records)
        await self.record_position(conn, records[-1].position)
        if self.checkpointer is not None:
            await self.checkpointer.after_batch(producer, records)
        if len(records) < self.batch_size:
            self._wake.set()  # the batch may have stopped at the byte cap: read on at once
        return len(records)

    async def stored_position(self, conn: asyncpg.Connection) -> int:
        """The last position acknowledged by the broker, as recorded."""
        value = await conn.fetchval(
            f"SELECT position FROM {self.schema}.relay_position WHERE topic = $1", self.topic
        )
        return int(value or 0)

    async def record_position(self, conn: asyncpg.Connection, position: int) -> None:
        """Record that everything up to position has been acknowledged by the broker."""
        await conn.execute(
            f"INSERT INTO {self.schema}.relay_position (topic, position) VALUES ($1, $2)"
            " ON CONFLICT (topic) DO UPDATE SET position = $2, updated_at = now()",
            self.topic,
            position,
        )
        self.position = position
