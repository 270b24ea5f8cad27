"""The training service's pure domain."""

from training_service.domain.metric_batch import ExperimentMetricBatch
from training_service.domain.retry_policy import DEFAULT_MAX_RETRIES, retry_limit
from training_service.domain.training_job import TrainingJob

AGGREGATES = (TrainingJob, ExperimentMetricBatch)

__all__ = [
    "AGGREGATES",
    "DEFAULT_MAX_RETRIES",
    "ExperimentMetricBatch",
    "TrainingJob",
    "retry_limit",
]
