"""The catalog's read models: its own events, and dataset and evaluation events it consumes."""

from catalog_service.projections.consumed import project_dataset_event, project_evaluation_event
from catalog_service.projections.model_versions import project_catalog_event
from catalog_service.projections.queries import PostgresCatalogReadModel
from catalog_service.projections.tables import READ_MODEL_TABLES, create_read_models

__all__ = [
    "READ_MODEL_TABLES",
    "PostgresCatalogReadModel",
    "create_read_models",
    "project_catalog_event",
    "project_dataset_event",
    "project_evaluation_event",
]
