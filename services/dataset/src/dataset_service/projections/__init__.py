"""The dataset service's read model of its own events."""

from dataset_service.projections.dataset_versions import projector
from dataset_service.projections.tables import TABLES
from llmops_runtime.governance import policies_projection
from llmops_runtime.projections.declaration import Projection


def projections() -> list[Projection]:
    """Own events into dataset_versions (list/detail, and the prior-version rule); governance
    policies (approval waits while a `dataset`-scope policy is overdue for review)."""
    return [
        TABLES.projection(
            "dataset_read_model", topic=None, projector=projector, tables=TABLES.names
        ),
        policies_projection(),
    ]


__all__ = [
    "projections",
    "projector",
]
