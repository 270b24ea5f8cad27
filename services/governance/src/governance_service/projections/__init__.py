"""The governance service's read model of its own events."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from governance_service.domain import REVIEW_PERIOD
from governance_service.projections.audit_log import audit_log_projection
from governance_service.projections.policies import policies_projector
from governance_service.projections.retry_overrides import retry_overrides_projector
from governance_service.projections.role_bindings import role_bindings_projector
from governance_service.projections.tables import TABLES
from llmops_runtime.projections.declaration import Projection
from llmops_runtime.projections.projector import Projector


def _default_period() -> timedelta:
    return REVIEW_PERIOD


def projector(review_period: Callable[[], timedelta] = _default_period) -> Projector:
    """Every governance event the read model applies."""
    return role_bindings_projector().include(
        policies_projector(review_period), retry_overrides_projector()
    )


def projections(review_period: Callable[[], timedelta] = _default_period) -> list[Projection]:
    """Own events into role_bindings, policies, reviews, violations and retry_overrides;
    every service's events topic into audit_log."""
    return [
        TABLES.projection(
            "governance_read_model", topic=None, projector=projector(review_period),
            tables=TABLES.names,
        ),
        audit_log_projection(),
    ]  # fmt: skip


__all__ = ["TABLES", "projections", "projector"]
