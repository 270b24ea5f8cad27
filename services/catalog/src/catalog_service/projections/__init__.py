"""The catalog's read models: its own events, and dataset and evaluation events it consumes."""

from catalog_service.projections.consumed import project_dataset_event, project_evaluation_event
from catalog_service.projections.declared import ProjectionDeclaration
from catalog_service.projections.model_versions import project_catalog_event
from catalog_service.projections.queries import PostgresCatalogReadModel
from catalog_service.projections.tables import READ_MODEL_TABLES, create_read_models


def projections() -> list[ProjectionDeclaration]:
    """Own events; dataset versions (lineage); evaluation runs (approval, summary)."""
    return [
        ProjectionDeclaration(
            "catalog_read_model", None, create_read_models, project_catalog_event
        ),
        ProjectionDeclaration(
            "known_dataset_versions",
            "llmops.dataset.events",
            create_read_models,
            project_dataset_event,
        ),
        ProjectionDeclaration(
            "evaluation_runs",
            "llmops.evaluation.events",
            create_read_models,
            project_evaluation_event,
        ),
    ]


__all__ = [
    "READ_MODEL_TABLES",
    "PostgresCatalogReadModel",
    "ProjectionDeclaration",
    "create_read_models",
    "project_catalog_event",
    "project_dataset_event",
    "project_evaluation_event",
    "projections",
]
