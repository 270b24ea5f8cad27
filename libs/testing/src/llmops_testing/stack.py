"""Hosting one service on the real stack in a test, and publishing as another service would."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import TypeVar

import httpx

from llmops_events.base import EventContract
from llmops_runtime.relay import EventEnvelope, idempotent_producer, publish_envelopes
from llmops_runtime.service import ServiceDefinition, ServiceHost, migrate_services, settings_for

T = TypeVar("T")


@asynccontextmanager
async def hosted(
    definition: ServiceDefinition, database_url: str, kafka: str
) -> AsyncIterator[ServiceHost]:
    """The service migrated by the owner and run as its own role until the block ends."""
    urls = await migrate_services(database_url, [definition])
    settings = settings_for(
        definition.name, database_url=urls[definition.name], kafka_bootstrap_servers=kafka,
        http_port=0,
    )  # fmt: skip
    host = ServiceHost(definition, settings)
    await host.start()
    try:
        yield host
    finally:
        await host.stop()


def read_client(host: ServiceHost, token: str, timeout: float = 30) -> httpx.AsyncClient:
    """An HTTP client on the host's read API, reading as the token's actor."""
    return httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{host.http_port}",
        headers={"Authorization": f"Bearer {token}"}, timeout=timeout,
    )  # fmt: skip


async def publish_as_relay(
    kafka: str, topic: str, event: EventContract, *, stream_id: uuid.UUID, actor: str = "test"
) -> None:
    """One event on topic in the relay's envelope, keyed by its stream, with the relay's headers."""
    envelope = EventEnvelope(
        event_id=uuid.uuid4(), stream_id=stream_id, stream_version=1,
        wire_type=event.WIRE_NAME, schema_version=event.SCHEMA_VERSION, position=1,
        committed_at=datetime.now(UTC), payload=event.model_dump(mode="json"),
        metadata={"actor": actor},
    )  # fmt: skip
    producer = idempotent_producer(kafka)
    await producer.start()
    try:
        await publish_envelopes(producer, topic, [envelope])
    finally:
        await producer.stop()


async def eventually(
    read: Callable[[], Awaitable[T]], ok: Callable[[T], bool], within_s: float = 60
) -> T:
    """read() until ok(value) (read models are eventually consistent), for up to within_s."""
    deadline = asyncio.get_running_loop().time() + within_s
    while True:
        value = await read()
        if ok(value):
            return value
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"never reached: last value {value!r}")
        await asyncio.sleep(0.1)
