"""Stand-ins for the runtime's outbox relay and projection runner, until those land.

Deliberately minimal (positions in memory, one task each): they only let the end-to-end flow
exercise the services' projections and read API. The hosted runtime components replace them.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from datetime import UTC, datetime
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from llmops_runtime.commands.topics import ensure_topics, events_topic
from llmops_runtime.service import ServiceHost

WIRE_TYPE_HEADER = "llmops-event-type"


class StandIns:
    """A relay per service and a driver per declared projection, as background tasks."""

    def __init__(self, bootstrap: str) -> None:
        self.bootstrap = bootstrap
        self.tasks: list[asyncio.Task[None]] = []
        self.producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")

    async def start(self, hosts: list[ServiceHost]) -> None:
        """Create events topics, then relay each store and drive each projection."""
        await ensure_topics(self.bootstrap, {events_topic(h.definition.name): 1 for h in hosts})
        await self.producer.start()
        for host in hosts:
            self.tasks.append(asyncio.create_task(self._relay(host)))
            for projection in host.definition.projections:
                assert host.resources is not None
                async with host.resources.pool.acquire() as conn:
                    await projection.create_tables(conn, host.definition.schema)
                self.tasks.append(asyncio.create_task(self._drive(host, projection)))

    async def stop(self) -> None:
        """Cancel every task and stop the producer."""
        for task in self.tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await self.producer.stop()

    async def _relay(self, host: ServiceHost) -> None:
        assert host.resources is not None
        store, position = host.resources.store, 0
        while True:
            for record in await store.read_after(position):
                await self.producer.send_and_wait(
                    events_topic(host.definition.name),
                    record.payload_json.encode(),
                    key=str(record.stream_id).encode(),
                    headers=[(WIRE_TYPE_HEADER, record.wire_type.encode())],
                )
                position = record.position
            await asyncio.sleep(0.05)

    async def _drive(self, host: ServiceHost, projection: Any) -> None:
        if projection.topic is None:
            await self._drive_from_store(host, projection)
        else:
            await self._drive_from_topic(host, projection)

    async def _drive_from_store(self, host: ServiceHost, projection: Any) -> None:
        assert host.resources is not None
        store, schema, position = host.resources.store, host.definition.schema, 0
        while True:
            for record in await store.read_after(position):
                async with host.resources.pool.acquire() as conn, conn.transaction():
                    await projection.apply(
                        conn, schema, record.wire_type, record.payload, record.committed_at
                    )
                position = record.position
            await asyncio.sleep(0.05)

    async def _drive_from_topic(self, host: ServiceHost, projection: Any) -> None:
        assert host.resources is not None
        await ensure_topics(self.bootstrap, {projection.topic: 1})
        consumer = AIOKafkaConsumer(
            projection.topic, bootstrap_servers=self.bootstrap, auto_offset_reset="earliest"
        )
        await consumer.start()
        try:
            async for message in consumer:
                headers = {k: v.decode() for k, v in message.headers}
                payload = json.loads(message.value or b"{}")
                async with host.resources.pool.acquire() as conn, conn.transaction():
                    await projection.apply(
                        conn,
                        host.definition.schema,
                        headers.get(WIRE_TYPE_HEADER, ""),
                        payload,
                        datetime.fromtimestamp(message.timestamp / 1000, UTC),
                    )
        finally:
            await consumer.stop()
