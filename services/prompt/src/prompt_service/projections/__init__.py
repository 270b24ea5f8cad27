"""The prompt service's read models: its own events and governance's prohibited tokens."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import asyncpg

from llmops_runtime.projections.declaration import Projection
from prompt_service.projections.experiments import project_experiment_event
from prompt_service.projections.governance import project_governance_event
from prompt_service.projections.queries import PostgresPromptReadModel
from prompt_service.projections.tables import (
    READ_MODEL_TABLES,
    TABLES,
    create_read_models,
)
from prompt_service.projections.templates import project_template_event

OWN_TABLES = ("prompt_templates", "prompt_labels", "prompt_experiments")
GOVERNANCE_TABLES = ("governance_prohibited_tokens",)


async def project_own_event(
    conn: asyncpg.Connection, schema: str, wire_type: str, p: Mapping[str, Any], at: datetime
) -> None:
    """Apply one of the service's own events to templates, labels or experiments."""
    await project_template_event(conn, schema, wire_type, p, at)
    await project_experiment_event(conn, schema, wire_type, p, at)


def projections() -> list[Projection]:
    """Own events (templates, labels, experiments); governance prohibited tokens."""
    return [
        TABLES.projection(
            "prompt_read_model", topic=None, apply=project_own_event, tables=OWN_TABLES
        ),
        TABLES.projection(
            "governance_prohibited_tokens",
            topic="llmops.governance.events",
            apply=project_governance_event,
            tables=GOVERNANCE_TABLES,
        ),
    ]


__all__ = [
    "READ_MODEL_TABLES",
    "PostgresPromptReadModel",
    "create_read_models",
    "project_experiment_event",
    "project_governance_event",
    "project_own_event",
    "project_template_event",
    "projections",
]
