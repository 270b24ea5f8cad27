"""JSON log lines carry service, command id, correlation id and trace id (no broker)."""

from __future__ import annotations

import json

import pytest
import structlog
from opentelemetry import trace
from opentelemetry.trace import NonRecordingSpan, SpanContext

from llmops_runtime.logging import configure_logging


class TestLogLines:
    def test_a_line_carries_the_bound_ids_and_the_active_trace(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        configure_logging("catalog")
        span = NonRecordingSpan(SpanContext(trace_id=0xABC, span_id=0x1, is_remote=False))
        with (
            trace.use_span(span),
            structlog.contextvars.bound_contextvars(command_id="c-1", correlation_id="k-1"),
        ):
            structlog.get_logger("t").info("command_handled")
        line = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
        assert line["service"] == "catalog"
        assert (line["command_id"], line["correlation_id"]) == ("c-1", "k-1")
        assert line["trace_id"] == format(0xABC, "032x")
        assert line["event"] == "command_handled"
        structlog.contextvars.clear_contextvars()
        structlog.reset_defaults()
