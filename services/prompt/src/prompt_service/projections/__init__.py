"""The prompt service's read models: its own events and governance's prohibited tokens."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import asyncpg

from prompt_service.projections.declared import ProjectionDeclaration
from prompt_service.projections.experiments import project_experiment_event
from prompt_service.projections.governance import project_governance_event
from prompt_service.projections.queries import PostgresPromptReadModel
from prompt_service.projections.tables import READ_MODEL_TABLES, create_read_models
from prompt_service.projections.templates import project_template_event


async def _project_own_event(
    conn: asyncpg.Connection, schema: str, wire_type: str, p: Mapping[str, Any], at: datetime
) -> None:
    await project_template_event(conn, schema, wire_type, p, at)
    await project_experiment_event(conn, schema, wire_type, p, at)


def projections() -> list[ProjectionDeclaration]:
    """Own events (templates, labels, experiments); governance prohibited tokens."""
    return [
        ProjectionDeclaration("prompt_read_model", None, create_read_models, _project_own_event),
        ProjectionDeclaration(
            "governance_prohibited_tokens",
            "llmops.governance.events",
            create_read_models,
            project_governance_event,
        ),
    ]


__all__ = [
    "READ_MODEL_TABLES",
    "PostgresPromptReadModel",
    "ProjectionDeclaration",
    "create_read_models",
    "project_experiment_event",
    "project_governance_event",
    "project_template_event",
    "projections",
]
