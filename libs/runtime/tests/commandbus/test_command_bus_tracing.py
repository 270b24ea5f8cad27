"""One trace per command: client, command handling, the relay's event and its projection."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Iterator, Mapping
from datetime import datetime
from typing import Any

import asyncpg
import pytest
from aiokafka import AIOKafkaConsumer
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from llmops_runtime import relay
from llmops_runtime.projections import Projection, ProjectionRunner, dispatch

from .conftest import Bus

pytestmark = pytest.mark.stack

_EXPORTER = InMemorySpanExporter()


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    """The in-memory trace collector (the global provider can be set once per process)."""
    if not isinstance(trace.get_tracer_provider(), TracerProvider):
        provider = TracerProvider()
        provider.add_span_processor(SimpleSpanProcessor(_EXPORTER))
        trace.set_tracer_provider(provider)
    _EXPORTER.clear()
    yield _EXPORTER
    _EXPORTER.clear()


@pytest.fixture
async def events_topic(bus: Bus) -> AsyncIterator[str]:
    """The service's events topic, fed by the real outbox relay."""
    topic = relay.events_topic(bus.service)
    await relay.ensure_topics(bus.bootstrap, [topic])
    running = asyncio.create_task(
        relay.OutboxRelay(bus.pool, bus.store.schema, topic, bus.bootstrap).run()
    )
    try:
        yield topic
    finally:
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await running


async def first_event(bus: Bus, topic: str) -> tuple[dict[str, bytes], bytes]:
    """The first domain event on topic (the batch's command audit event may come first: it is
    keyed by its batch, so it can sit on another partition)."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bus.bootstrap,
        group_id=f"t-{uuid.uuid4().hex}",
        auto_offset_reset="earliest",
    )
    await consumer.start()
    try:
        while True:
            record = await asyncio.wait_for(consumer.getone(), 30)
            if dict(record.headers).get("wire_type") != b"audit.commands.recorded":
                break
    finally:
        await consumer.stop()
    return dict(record.headers), record.value or b""


class TestOneTracePerCommand:
    async def test_the_published_event_is_the_one_the_reply_names(
        self, bus: Bus, events_topic: str
    ) -> None:
        result = await bus.client.send(bus.service, "bus_test.open_counter", {"name": "p"})
        assert result.accepted
        headers, _ = await first_event(bus, events_topic)
        assert headers["event_id"].decode() == result.event_ids[0]
        assert headers["wire_type"] == b"bus_test.counter.opened"

    async def test_client_handling_and_projection_share_the_trace(
        self, bus: Bus, spans: InMemorySpanExporter, events_topic: str
    ) -> None:
        runner = ProjectionRunner(
            bus.pool, bus.store.schema, counter_names(events_topic), bootstrap=bus.bootstrap
        )
        projecting = asyncio.create_task(runner.run())
        try:
            result = await bus.client.send(bus.service, "bus_test.open_counter", {"name": "t"})
            assert result.accepted
            project = await projection_span(spans, "project counter_names bus_test.counter.opened")
        finally:
            projecting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await projecting
        by_name = {s.name: s for s in spans.get_finished_spans()}
        send = by_name["send bus_test.open_counter"]
        handle = by_name["handle bus_test.open_counter"]
        assert send.context is not None
        assert handle.context is not None
        assert project.context is not None
        assert handle.context.trace_id == send.context.trace_id
        assert project.context.trace_id == send.context.trace_id
        assert handle.parent is not None
        assert handle.parent.span_id == send.context.span_id
        assert project.parent is not None
        assert project.parent.span_id == handle.context.span_id


def counter_names(topic: str) -> Projection:
    """A read model of counter names fed by the service's events topic."""

    async def create(conn: asyncpg.Connection, schema: str) -> None:
        await conn.execute(f"CREATE TABLE IF NOT EXISTS {schema}.counter_names (name text)")

    async def opened(
        conn: asyncpg.Connection, schema: str, _: str, payload: Mapping[str, Any], __: datetime
    ) -> None:
        await conn.execute(f"INSERT INTO {schema}.counter_names VALUES ($1)", payload["name"])

    return Projection(
        "counter_names", topic, create, dispatch({"bus_test.counter.opened": opened}), None,
        ("counter_names",),
    )  # fmt: skip


async def projection_span(spans: InMemorySpanExporter, name: str) -> Any:
    """The finished span of that name, once the real projection runner has applied the event."""
    for _ in range(300):
        found = [s for s in spans.get_finished_spans() if s.name == name]
        if found:
            return found[0]
        await asyncio.sleep(0.1)
    raise AssertionError(f"no span {name!r}")
