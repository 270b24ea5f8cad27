"""The serving service's command handlers."""

from __future__ import annotations

from collections.abc import Collection

from llmops_runtime.budgets import BUDGET_EXCEEDED
from llmops_runtime.commands import CommandRegistry
from serving_service.application.endpoints import register_endpoint_handlers
from serving_service.application.observations import register_observation_handlers
from serving_service.application.read_model import Clock, ServingReadModel, utc_now


def build_registry(
    reads: ServingReadModel,
    now: Clock = utc_now,
    *,
    probe_hosts: Collection[str] = ("127.0.0.1", "localhost", "::1"),
    bucket_seconds: int = 60,
    degrade_min_requests: int = 20,
) -> CommandRegistry:
    """Every serving command over the read model, this clock and these settings."""
    # A budget refusal depends on the cost service's announcements: a retry is decided again.
    registry = CommandRegistry(retryable_codes=(BUDGET_EXCEEDED,))
    register_endpoint_handlers(registry, reads, now, probe_hosts)
    register_observation_handlers(
        registry, reads, now, bucket_seconds=bucket_seconds,
        degrade_min_requests=degrade_min_requests,
    )  # fmt: skip
    return registry


__all__ = ["ServingReadModel", "build_registry", "utc_now"]
