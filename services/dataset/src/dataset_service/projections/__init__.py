"""The dataset service's read model of its own events."""

from dataset_service.projections.dataset_versions import projector
from dataset_service.projections.tables import (
    READ_MODEL_TABLES,
    TABLES,
    create_read_models,
)
from llmops_runtime.projections.declaration import Projection


def projections() -> list[Projection]:
    """Own events into dataset_versions (list/detail, and the prior-version rule)."""
    return [
        TABLES.projection(
            "dataset_read_model", topic=None, projector=projector, tables=READ_MODEL_TABLES
        )
    ]


__all__ = [
    "READ_MODEL_TABLES",
    "create_read_models",
    "projections",
    "projector",
]
