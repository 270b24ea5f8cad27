"""The evaluation read models: own events, and the dataset versions approved as snapshots."""

from evaluation_service.projections.datasets import datasets
from evaluation_service.projections.runs import projector
from evaluation_service.projections.tables import DATASET_TABLES, OWN_TABLES, TABLES
from llmops_runtime.projections.declaration import Projection

DATASET_TOPIC = "llmops.dataset.events"


def projections() -> list[Projection]:
    """Own events into runs and items; dataset events into benchmark_datasets."""
    return [
        TABLES.projection(
            "evaluation_read_model", topic=None, projector=projector, tables=OWN_TABLES
        ),
        TABLES.projection(
            "benchmark_datasets", topic=DATASET_TOPIC, projector=datasets, tables=DATASET_TABLES
        ),
    ]


__all__ = ["TABLES", "datasets", "projections", "projector"]
