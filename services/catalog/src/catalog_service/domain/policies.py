"""Governance policies of the `model` scope, as approval must satisfy them.

Governance publishes the policies; the catalog keeps the active ones and applies here the
two rule kinds that govern approval: `required_evaluations` (minimum completed runs per
evaluation type, and mean scores at thresholds) and the 90-day review (an overdue policy
blocks approval until it is reviewed).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from statistics import fmean
from typing import Any

from catalog_service.domain.evaluations import EvaluationSummary
from llmops_domain.errors import DomainError, PolicyReviewOverdue


@dataclass(frozen=True)
class GoverningPolicy:
    """An active policy of the model scope: its rules (JSON) and its review state."""

    name: str
    rules: Sequence[dict[str, Any]] = field(default_factory=tuple)
    review_overdue: bool = False
    due_at: str | None = None


class PolicyRequirementsUnmet(DomainError):
    """Approval lacks what an active policy's `required_evaluations` rule asks for."""

    code = "policy_requirements_unmet"

    def __init__(self, policy: str, unmet: Sequence[str]) -> None:
        super().__init__(
            f"policy {policy!r} requires: {'; '.join(unmet)}",
            details={"policy": policy, "unmet": list(unmet)},
        )


def require_policies_satisfied(
    policies: Iterable[GoverningPolicy], completed: Sequence[EvaluationSummary]
) -> None:
    """Refuse approval while a policy is overdue for review or its evaluations fall short."""
    for policy in policies:
        if policy.review_overdue:
            raise PolicyReviewOverdue(policy.name, policy.due_at or "its review date")
        for rule in policy.rules:
            if rule.get("kind") == "required_evaluations":
                unmet = _unmet_evaluations(rule, completed)
                if unmet:
                    raise PolicyRequirementsUnmet(policy.name, unmet)


def _unmet_evaluations(rule: dict[str, Any], completed: Sequence[EvaluationSummary]) -> list[str]:
    unmet = []
    for type_, minimum in sorted(dict(rule.get("minimum_runs", {})).items()):
        runs = sum(1 for e in completed if e.type == type_)
        if runs < int(minimum):
            unmet.append(f"{minimum} completed {type_} run(s), found {runs}")
    for metric, threshold in sorted(dict(rule.get("thresholds", {})).items()):
        scores = [
            float(e.metrics[metric])
            for e in completed
            if isinstance(e.metrics.get(metric), int | float)
        ]
        if not scores or fmean(scores) < float(threshold):
            found = f"{fmean(scores):.4g}" if scores else "no score"
            unmet.append(f"mean {metric} >= {threshold}, found {found}")
    return unmet
