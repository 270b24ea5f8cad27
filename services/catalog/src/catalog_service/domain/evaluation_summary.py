"""The evaluation_summary of a model version: the latest completed run of each type."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from catalog_service.domain.evaluations import EvaluationSummary


def summarize(evaluations: Iterable[EvaluationSummary]) -> dict[str, Any]:
    """Map each evaluation type to its latest completed run's id, metrics and time."""
    latest: dict[str, EvaluationSummary] = {}
    for run in evaluations:
        if not run.completed:
            continue
        current = latest.get(run.type)
        if current is None or datetime.fromisoformat(run.completed_at) > datetime.fromisoformat(
            current.completed_at
        ):
            latest[run.type] = run
    return {
        kind: {"run_id": r.run_id, "metrics": dict(r.metrics), "completed_at": r.completed_at}
        for kind, r in sorted(latest.items())
    }
