"""The dataset service's read model of its own events."""

from dataset_service.projections.dataset_versions import project_dataset_event
from dataset_service.projections.queries import PostgresDatasetReadModel
from dataset_service.projections.tables import READ_MODEL_TABLES, create_read_models

__all__ = [
    "READ_MODEL_TABLES",
    "PostgresDatasetReadModel",
    "create_read_models",
    "project_dataset_event",
]
