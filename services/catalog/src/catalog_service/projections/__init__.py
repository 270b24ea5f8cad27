"""The catalog's read models: its own events, and the events of others its rules depend on."""

from catalog_service.projections.consumed import datasets, evaluations, training_jobs
from catalog_service.projections.model_versions import projector
from catalog_service.projections.tables import TABLES
from catalog_service.projections.violations import violations
from llmops_runtime.governance import policies_projection
from llmops_runtime.projections.declaration import Projection

OWN_TABLES = ("model_versions", "model_aliases")
DATASET_TABLES = ("known_dataset_versions",)
EVALUATION_TABLES = ("evaluation_runs",)
TRAINING_TABLES = ("succeeded_training_jobs",)
VIOLATION_TABLES = ("policy_violations",)


def projections() -> list[Projection]:
    """Own events; dataset versions (lineage rule); evaluation runs (approval gate, summary);
    governance policies (approval rules) and violations (deprecation)."""
    return [
        TABLES.projection("catalog_read_model", topic=None, projector=projector, tables=OWN_TABLES),
        TABLES.projection(
            "known_dataset_versions",
            topic="llmops.dataset.events",
            projector=datasets,
            tables=DATASET_TABLES,
        ),
        TABLES.projection(
            "evaluation_runs",
            topic="llmops.evaluation.events",
            projector=evaluations,
            tables=EVALUATION_TABLES,
        ),
        TABLES.projection(
            "succeeded_training_jobs",
            topic="llmops.training.events",
            projector=training_jobs,
            tables=TRAINING_TABLES,
        ),
        policies_projection(),
        TABLES.projection(
            "policy_violations",
            topic="llmops.governance.events",
            projector=violations,
            tables=VIOLATION_TABLES,
        ),
    ]


__all__ = ["projections"]
