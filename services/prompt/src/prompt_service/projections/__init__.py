"""The prompt service's read models: its own events and governance's prohibited tokens."""

from llmops_runtime.projections.declaration import Projection
from llmops_runtime.projections.projector import Projector
from prompt_service.projections import experiments, governance, templates
from prompt_service.projections.tables import TABLES

OWN_TABLES = ("prompt_templates", "prompt_labels", "prompt_experiments")
GOVERNANCE_TABLES = ("governance_prohibited_tokens",)


def projections() -> list[Projection]:
    """Own events (templates, labels, experiments); governance prohibited tokens."""
    own = Projector().include(templates.projector, experiments.projector)
    return [
        TABLES.projection("prompt_read_model", topic=None, projector=own, tables=OWN_TABLES),
        TABLES.projection(
            "governance_prohibited_tokens",
            topic="llmops.governance.events",
            projector=governance.projector,
            tables=GOVERNANCE_TABLES,
        ),
    ]


__all__ = ["projections"]
