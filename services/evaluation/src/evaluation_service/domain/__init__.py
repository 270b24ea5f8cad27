"""The evaluation service's pure domain."""

from evaluation_service.domain.benchmark import BenchmarkSnapshot
from evaluation_service.domain.evaluation_run import MAX_ATTEMPTS, EvaluationRun

AGGREGATES = (EvaluationRun,)

__all__ = ["AGGREGATES", "MAX_ATTEMPTS", "BenchmarkSnapshot", "EvaluationRun"]
