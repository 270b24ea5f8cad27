"""The cost read models: its own events; training's and serving's usage, priced."""

from cost_service.projections.consumed import serving_usage, training_usage
from cost_service.projections.own import projector
from cost_service.projections.tables import OWN_TABLES, TABLES
from llmops_runtime.projections.declaration import Projection

TRAINING_EVENTS = "llmops.training.events"
SERVING_EVENTS = "llmops.serving.events"


def projections() -> list[Projection]:
    """Own events into the read tables; each usage source in its own projection, so one
    whose topic does not exist yet does not hold the other back."""
    return [
        TABLES.projection(
            "cost_read_model", topic=None, projector=projector, tables=OWN_TABLES,
        ),
        TABLES.projection(
            "training_usage", topic=TRAINING_EVENTS, projector=training_usage,
            tables=("training_jobs_seen",),
        ),
        TABLES.projection(
            "serving_usage", topic=SERVING_EVENTS, projector=serving_usage, tables=(),
        ),
    ]  # fmt: skip


__all__ = ["OWN_TABLES", "TABLES", "projections", "projector"]
