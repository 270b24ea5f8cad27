"""What a training process prints: JSON lines of metrics and its artifact URI."""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from llmops_events.training import MetricPoint

MAX_LINE_BYTES = 64 * 1024


def parse_line(line: bytes) -> tuple[str, Any] | None:
    """("metric", point) for {"metric", "step", "value"[, "unit"]}, ("artifact_uri", uri) for
    {"artifact_uri": ...}; None for anything else (plain log output is ignored)."""
    if len(line) > MAX_LINE_BYTES or not line.lstrip().startswith(b"{"):
        return None
    try:
        data = json.loads(line)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    if isinstance(data.get("artifact_uri"), str):
        return ("artifact_uri", data["artifact_uri"])
    if "metric" not in data:
        return None
    try:
        point = MetricPoint.model_validate(
            {"name": data["metric"], "step": data.get("step", 0), "value": data.get("value"),
             "unit": data.get("unit")}
        )  # fmt: skip
    except ValidationError:
        return None
    return ("metric", point)
