"""One trace per command: client, command handling and the events' stored trace context."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from llmops_runtime.eventstore import read_stream
from llmops_runtime.tracing import context_from

from .conftest import Bus, Counter

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


class TestOneTracePerCommand:
    async def test_client_handling_and_projection_share_the_trace(
        self, bus: Bus, spans: InMemorySpanExporter
    ) -> None:
        result = await bus.client.send(bus.service, "bus_test.open_counter", {"name": "t"})
        assert result.accepted
        [row] = await read_stream(bus.pool, bus.store.schema, Counter.create_id("t"))
        # A projection continues the trace from the traceparent the relay forwards in headers.
        tracer = trace.get_tracer("test.projection")
        with tracer.start_as_current_span(
            "project", context=context_from(row.metadata["traceparent"])
        ):
            pass
        by_name = {s.name: s for s in spans.get_finished_spans()}
        send, handle, project = (
            by_name["send bus_test.open_counter"],
            by_name["handle bus_test.open_counter"],
            by_name["project"],
        )
        assert send.context is not None
        assert handle.context is not None
        trace_id = send.context.trace_id
        assert handle.context.trace_id == trace_id
        assert project.context is not None
        assert project.context.trace_id == trace_id
        assert handle.parent is not None
        assert handle.parent.span_id == send.context.span_id
        assert row.metadata["trace_id"] == format(trace_id, "032x")
