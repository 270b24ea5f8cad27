"""What a probe's answer says of an endpoint's health (pure)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ProbeAnswer:
    """One call of the endpoint's route: reached or not, its HTTP status and latency."""

    reachable: bool
    http_status: int | None = None
    latency_ms: float | None = None
    detail: str = ""


def status_of(answer: ProbeAnswer, latency_threshold_ms: float | None) -> tuple[str, str]:
    """failed (unreachable, timeout, 5xx), degraded (4xx or slower than the trigger), healthy."""
    if not answer.reachable or answer.http_status is None:
        return "failed", answer.detail or "unreachable"
    if answer.http_status >= 500:
        return "failed", answer.detail or f"answered {answer.http_status}"
    if answer.http_status >= 400:
        return "degraded", answer.detail or f"answered {answer.http_status}"
    latency = answer.latency_ms or 0.0
    if latency_threshold_ms is not None and latency > latency_threshold_ms:
        return (
            "degraded",
            f"answered in {latency:.0f} ms, over the {latency_threshold_ms:g} ms trigger",
        )
    return "healthy", answer.detail or f"answered {answer.http_status} in {latency:.0f} ms"
