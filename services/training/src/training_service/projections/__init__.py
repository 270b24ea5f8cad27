"""The training read models: its own events, and the approvals and overrides it depends on."""

from llmops_runtime.budgets import budgets_projection
from llmops_runtime.projections.declaration import Projection
from training_service.projections.consumed import datasets, models, overrides
from training_service.projections.jobs import projector
from training_service.projections.metrics import apply_metrics
from training_service.projections.tables import METRIC_TABLES, OWN_TABLES, TABLES


def projections() -> list[Projection]:
    """Own metric batches (set-based) and job events; catalog model approvals and
    deprecations; dataset approvals; governance retry overrides; cost budget announcements."""
    return [
        Projection(
            name="training_metrics", topic=None, create_tables=TABLES.creator(*METRIC_TABLES),
            apply_batch=apply_metrics, tables=METRIC_TABLES,
        ),
        TABLES.projection(
            "training_read_model", topic=None, projector=projector, tables=OWN_TABLES,
        ),
        TABLES.projection(
            "catalog_models", topic="llmops.catalog.events", projector=models,
            tables=("catalog_models",),
        ),
        TABLES.projection(
            "approved_datasets", topic="llmops.dataset.events", projector=datasets,
            tables=("approved_datasets",),
        ),
        TABLES.projection(
            "retry_overrides", topic="llmops.governance.events", projector=overrides,
            tables=("retry_overrides",),
        ),
        budgets_projection(),
    ]  # fmt: skip


__all__ = ["TABLES", "projections", "projector"]
