"""The prompt service's read models: its own events and governance's prohibited tokens."""

from prompt_service.projections.experiments import project_experiment_event
from prompt_service.projections.governance import project_governance_event
from prompt_service.projections.queries import PostgresPromptReadModel
from prompt_service.projections.tables import READ_MODEL_TABLES, create_read_models
from prompt_service.projections.templates import project_template_event

__all__ = [
    "READ_MODEL_TABLES",
    "PostgresPromptReadModel",
    "create_read_models",
    "project_experiment_event",
    "project_governance_event",
    "project_template_event",
]
