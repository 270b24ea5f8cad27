"""W3C trace context in and out of Kafka headers and envelopes."""

from __future__ import annotations

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

_PROPAGATOR = TraceContextTextMapPropagator()


def context_from(traceparent: str | None, tracestate: str | None = None) -> Context | None:
    """The context a traceparent continues, or None (start a new trace)."""
    if not traceparent:
        return None
    carrier = {"traceparent": traceparent}
    if tracestate:
        carrier["tracestate"] = tracestate
    return _PROPAGATOR.extract(carrier)


def current_traceparent() -> str | None:
    """The traceparent of the active span, or None without one."""
    carrier: dict[str, str] = {}
    _PROPAGATOR.inject(carrier)
    return carrier.get("traceparent")


def current_trace_id() -> str | None:
    """The hex trace id of the active span, or None."""
    ctx = trace.get_current_span().get_span_context()
    return format(ctx.trace_id, "032x") if ctx.is_valid else None


def configure_tracing(service: str) -> None:
    """Record spans in this process, so trace ids reach logs, events and other services.

    `OTEL_TRACES_EXPORTER=console` also prints finished spans (JSON) to stdout; without it
    spans are recorded for propagation and logs only. A deployment adds its own exporter.
    """
    import os

    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter

    provider = TracerProvider(resource=Resource.create({"service.name": f"llmops-{service}"}))
    if os.environ.get("OTEL_TRACES_EXPORTER") == "console":
        provider.add_span_processor(BatchSpanProcessor(ConsoleSpanExporter()))
    trace.set_tracer_provider(provider)
