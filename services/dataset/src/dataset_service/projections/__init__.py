"""The dataset service's read model of its own events."""

from dataset_service.projections.dataset_versions import project_dataset_event
from dataset_service.projections.declared import ProjectionDeclaration
from dataset_service.projections.queries import PostgresDatasetReadModel
from dataset_service.projections.tables import READ_MODEL_TABLES, create_read_models


def projections() -> list[ProjectionDeclaration]:
    """Own events into dataset_versions."""
    return [
        ProjectionDeclaration("dataset_read_model", None, create_read_models, project_dataset_event)
    ]


__all__ = [
    "READ_MODEL_TABLES",
    "PostgresDatasetReadModel",
    "ProjectionDeclaration",
    "create_read_models",
    "project_dataset_event",
    "projections",
]
