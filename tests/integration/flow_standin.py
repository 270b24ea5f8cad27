"""Until the host runs them: the runtime's outbox relay, and a stand-in projection runner.

The stand-in is deliberately minimal (positions in memory, one task per projection): it only
lets the end-to-end flow exercise the services' projections and read API.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from aiokafka import AIOKafkaConsumer

from llmops_runtime.relay import EventEnvelope, OutboxRelay, ensure_topics, events_topic
from llmops_runtime.service import ServiceHost


class StandIns:
    """A relay per service and a driver per declared projection, as background tasks."""

    def __init__(self, bootstrap: str) -> None:
        self.bootstrap = bootstrap
        self.tasks: list[asyncio.Task[None]] = []

    async def start(self, hosts: list[ServiceHost]) -> None:
        """Create events topics, then relay each store and drive each projection."""
        await ensure_topics(self.bootstrap, [events_topic(h.definition.name) for h in hosts])
        for host in hosts:
            assert host.resources is not None
            relay = OutboxRelay(
                host.resources.pool,
                host.definition.schema,
                events_topic(host.definition.name),
                self.bootstrap,
                poll_interval_s=0.05,
            )
            self.tasks.append(asyncio.create_task(relay.run()))
            for projection in host.definition.projections:
                assert host.resources is not None
                async with host.resources.pool.acquire() as conn:
                    await projection.create_tables(conn, host.definition.schema)
                self.tasks.append(asyncio.create_task(self._drive(host, projection)))

    async def stop(self) -> None:
        """Cancel every task."""
        for task in self.tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

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
        await ensure_topics(self.bootstrap, [projection.topic])
        consumer = AIOKafkaConsumer(
            projection.topic, bootstrap_servers=self.bootstrap, auto_offset_reset="earliest"
        )
        await consumer.start()
        try:
            async for message in consumer:
                event = EventEnvelope.from_json(message.value or b"")
                async with host.resources.pool.acquire() as conn, conn.transaction():
                    await projection.apply(
                        conn,
                        host.definition.schema,
                        event.wire_type,
                        event.payload,
                        event.committed_at,
                    )
        finally:
            await consumer.stop()
