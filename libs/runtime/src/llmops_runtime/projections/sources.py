"""Where a projection reads events: a Kafka topic or the service's own event store."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import asyncpg
import structlog
from aiokafka import AIOKafkaConsumer, TopicPartition

from llmops_runtime.eventstore.reading import read_after
from llmops_runtime.eventstore.sqlnames import notify_channel
from llmops_runtime.kafka_security import kafka_security
from llmops_runtime.projections.tracking import (
    STORE_SOURCE,
    SourcedEvent,
    SourceKey,
    Unreadable,
)
from llmops_runtime.relay.envelope import EventEnvelope
from llmops_runtime.relay.topics import topic_partitions

log = structlog.get_logger("llmops.projections")


class EventSource(Protocol):
    """A seekable, batched reader of events."""

    async def start(self, offsets: Mapping[SourceKey, int]) -> None: ...

    async def seek(self, offsets: Mapping[SourceKey, int]) -> None: ...

    async def next_batch(self) -> list[SourcedEvent]: ...

    def take_unreadable(self) -> list[Unreadable]: ...

    async def stop(self) -> None: ...


class KafkaSource:
    """All partitions of one or more topics, assigned manually, positioned from PostgreSQL."""

    def __init__(
        self,
        bootstrap: str,
        topic: str | Sequence[str],
        *,
        group_id: str | None,
        batch_size: int,
        wait_ms: int,
    ) -> None:
        self.bootstrap = bootstrap
        self.topics = (topic,) if isinstance(topic, str) else tuple(dict.fromkeys(topic))
        if not self.topics:
            raise ValueError("a Kafka source needs at least one topic")
        self.group_id = group_id
        self.batch_size = batch_size
        self.wait_ms = wait_ms
        self.consumer = AIOKafkaConsumer(
            bootstrap_servers=bootstrap,
            **kafka_security(),
            group_id=group_id,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
        )
        self.partitions: list[TopicPartition] = []
        self.unreadable: list[Unreadable] = []

    async def start(self, offsets: Mapping[SourceKey, int]) -> None:
        """Wait for the topics, connect, assign every partition and seek to the stored offsets.

        Another service's topic may not exist yet (or not be in the broker's metadata just
        after its creation): wait for it instead of failing the projection.
        """
        self.partitions = []
        for topic in self.topics:
            found = await topic_partitions(self.bootstrap, topic)
            pause = 0.2
            while not found:
                # Loud, and /readyz names the topic: a topic that never comes is an operator's.
                log.warning("projection_source_topic_missing", topic=topic)
                await asyncio.sleep(pause)
                pause = min(pause * 2, 5.0)
                found = await topic_partitions(self.bootstrap, topic)
            self.partitions += [TopicPartition(topic, p) for p in found]
        await self.consumer.start()
        self.consumer.assign(self.partitions)
        await self.seek(offsets)

    async def seek(self, offsets: Mapping[SourceKey, int]) -> None:
        """Continue each partition at its stored offset, or from its beginning."""
        for tp in self.partitions:
            stored = offsets.get((tp.topic, tp.partition))
            if stored is None:
                await self.consumer.seek_to_beginning(tp)
            else:
                self.consumer.seek(tp, stored)

    async def next_batch(self) -> list[SourcedEvent]:
        """Up to batch_size records, ordered within each partition; unreadable ones set aside."""
        data = await self.consumer.getmany(timeout_ms=self.wait_ms, max_records=self.batch_size)
        batch: list[SourcedEvent] = []
        for tp in sorted(data, key=lambda t: (t.topic, t.partition)):
            for rec in data[tp]:
                try:
                    if rec.value is None:
                        raise ValueError("tombstone: no value")
                    env = EventEnvelope.from_json(rec.value)
                except Exception as exc:
                    reason = f"unreadable: {type(exc).__name__}: {exc}"
                    log.warning("projection_source_unreadable", topic=tp.topic, reason=reason)
                    self.unreadable.append(
                        Unreadable(tp.topic, tp.partition, rec.offset, rec.key, rec.value, reason)
                    )
                    continue
                batch.append(SourcedEvent(env, tp.topic, tp.partition, rec.offset))
        return batch

    def take_unreadable(self) -> list[Unreadable]:
        """The unreadable records set aside since the last call."""
        taken, self.unreadable = self.unreadable, []
        return taken

    async def commit(self, offsets: Mapping[SourceKey, int]) -> None:
        """Mirror the offsets to the consumer group, for lag monitoring only."""
        if self.group_id is not None:
            await self.consumer.commit({TopicPartition(t, p): o for (t, p), o in offsets.items()})

    async def end_offsets(self) -> dict[SourceKey, int]:
        """The current end of each partition."""
        ends = await self.consumer.end_offsets(self.partitions)
        return {(tp.topic, tp.partition): o for tp, o in ends.items()}

    async def reached(self, offsets: Mapping[SourceKey, int]) -> bool:
        """True once every partition's read position is at or past the given offset."""
        for tp in self.partitions:
            if await self.consumer.position(tp) < offsets.get((tp.topic, tp.partition), 0):
                return False
        return True

    async def stop(self) -> None:
        """Disconnect."""
        await self.consumer.stop()


class StoreSource:
    """The service's own event store, tailed in commit order; the offset is the next position."""

    def __init__(
        self, pool: asyncpg.Pool, schema: str, *, batch_size: int, poll_interval_s: float
    ) -> None:
        self.pool = pool
        self.schema = schema
        self.batch_size = batch_size
        self.poll_interval_s = poll_interval_s
        self.position = 0
        self._wake = asyncio.Event()
        self._listener: asyncpg.Connection | None = None

    async def start(self, offsets: Mapping[SourceKey, int]) -> None:
        """Listen for new events and position after the stored offset."""
        self._listener = await self.pool.acquire()
        await self._listener.add_listener(notify_channel(self.schema), self._on_notify)
        await self.seek(offsets)

    def _on_notify(self, *_: Any) -> None:
        self._wake.set()

    async def seek(self, offsets: Mapping[SourceKey, int]) -> None:
        """Continue after the stored position."""
        self.position = offsets.get(STORE_SOURCE, 1) - 1

    async def next_batch(self) -> list[SourcedEvent]:
        """The next rows after the position; waits for a notification when there are none."""
        self._wake.clear()
        records = await read_after(self.pool, self.schema, self.position, self.batch_size)
        if not records:
            # polling fallback
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.poll_interval_s)
            return []
        self.position = records[-1].position
        topic, partition = STORE_SOURCE
        return [
            SourcedEvent(EventEnvelope.from_record(r), topic, partition, r.position)
            for r in records
        ]

    def take_unreadable(self) -> list[Unreadable]:
        """None: the store holds only well-formed rows."""
        return []

    async def stop(self) -> None:
        """Stop listening."""
        if self._listener is not None:
            if not self._listener.is_closed():
                await self._listener.remove_listener(notify_channel(self.schema), self._on_notify)
            await self.pool.release(self._listener)
            self._listener = None
