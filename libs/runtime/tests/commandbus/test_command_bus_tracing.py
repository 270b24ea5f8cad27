"""One trace per command: client, command handling, the relay's event and its projection."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
from aiokafka import AIOKafkaConsumer
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from llmops_runtime.tracing import context_from

from .conftest import Bus

relay = pytest.importorskip("llmops_runtime.relay")

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
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bus.bootstrap,
        group_id=f"t-{uuid.uuid4().hex}",
        auto_offset_reset="earliest",
    )
    await consumer.start()
    try:
        record = await asyncio.wait_for(consumer.getone(), 30)
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
        result = await bus.client.send(bus.service, "bus_test.open_counter", {"name": "t"})
        assert result.accepted
        headers, _ = await first_event(bus, events_topic)
        # What a projection does with the relay's headers: continue the command's trace.
        tracer = trace.get_tracer("test.projection")
        parent = context_from(headers["traceparent"].decode())
        with tracer.start_as_current_span("project", context=parent):
            pass
        by_name = {s.name: s for s in spans.get_finished_spans()}
        send = by_name["send bus_test.open_counter"]
        handle = by_name["handle bus_test.open_counter"]
        project = by_name["project"]
        assert send.context is not None
        assert handle.context is not None
        assert project.context is not None
        assert handle.context.trace_id == send.context.trace_id
        assert project.context.trace_id == send.context.trace_id
        assert handle.parent is not None
        assert handle.parent.span_id == send.context.span_id
        assert project.parent is not None
        assert project.parent.span_id == handle.context.span_id
