"""Projection runner: read models updated with exactly-once effect, rebuilt with a swap."""

from llmops_runtime.projections.apply import apply_events
from llmops_runtime.projections.declaration import (
    ApplyBatch,
    ApplyEvent,
    CreateTables,
    Projection,
    ProjectionLike,
    dispatch,
    source_topics,
)
from llmops_runtime.projections.rebuild import rebuild_projections
from llmops_runtime.projections.runner import ProjectionRunner
from llmops_runtime.projections.tracking import (
    Parked,
    SourcedEvent,
    create_tracking_tables,
    load_offsets,
)

__all__ = [
    "ApplyBatch",
    "ApplyEvent",
    "CreateTables",
    "Parked",
    "Projection",
    "ProjectionLike",
    "ProjectionRunner",
    "SourcedEvent",
    "apply_events",
    "create_tracking_tables",
    "dispatch",
    "load_offsets",
    "rebuild_projections",
    "source_topics",
]
