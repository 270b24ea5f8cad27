"""The serving read models: its own events, catalog versions and aliases, prompt labels."""

from llmops_runtime.budgets import budgets_projection
from llmops_runtime.projections.declaration import Projection
from serving_service.projections.consumed import labels, models
from serving_service.projections.own import projector
from serving_service.projections.tables import CATALOG_TABLES, OWN_TABLES, PROMPT_TABLES, TABLES


def projections() -> list[Projection]:
    """Own events; catalog approvals, deprecations and aliases; prompt labels."""
    return [
        TABLES.projection("serving_read_model", topic=None, projector=projector, tables=OWN_TABLES),
        TABLES.projection(
            "serving_catalog_models", topic="llmops.catalog.events", projector=models,
            tables=CATALOG_TABLES,
        ),
        TABLES.projection(
            "serving_prompt_labels", topic="llmops.prompt.events", projector=labels,
            tables=PROMPT_TABLES,
        ),
        budgets_projection(),
    ]  # fmt: skip


__all__ = ["TABLES", "projections"]
