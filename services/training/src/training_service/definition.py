"""The training service as the host runs it: events, handlers, projections, read API."""

from __future__ import annotations

from llmops_events import catalog as catalog_contracts
from llmops_events import dataset as dataset_contracts
from llmops_events import governance as governance_contracts
from llmops_events import training as contracts
from llmops_runtime.auth import Permission, from_payload
from llmops_runtime.budgets import BUDGET_EVENTS
from llmops_runtime.service import ServiceDefinition, Wiring
from training_service.bootstrap import WIRING
from training_service.domain import AGGREGATES
from training_service.projections import projections
from training_service.views import TrainingViews

_OWNER = TrainingViews.owner_team_of
# What each command needs; a binding scoped to an owner team grants it for that team's jobs.
PERMISSIONS = {
    contracts.SubmitTrainingJob: Permission("submit", "training_job", from_payload("owner_team")),
    contracts.CancelTrainingJob: Permission("operate", "training_job", _OWNER),
    contracts.RecordTrainingMetrics: Permission("run", "training_job", _OWNER),
    contracts.ReportTrainingAttempt: Permission("run", "training_job", _OWNER),
}  # fmt: skip
CONSUMED = (
    catalog_contracts.ModelVersionApproved,
    catalog_contracts.ModelVersionDeprecated,
    dataset_contracts.DatasetVersionApproved,
    governance_contracts.RetryOverrideApproved,
    *BUDGET_EVENTS,
)


def service_definition(wiring: Wiring[TrainingViews]) -> ServiceDefinition:
    """The definition over a wiring (tests give one with their own settings and clock)."""
    return wiring.definition(
        "training", http_port=8104, contracts=contracts, event_classes=AGGREGATES,
        projections=projections(), permissions=PERMISSIONS, consumed_event_contracts=CONSUMED,
        deploy_settings=(
            "LLMOPS_TRAINING_ARTIFACT_ROOT", "LLMOPS_TRAINING_LOCAL_SCHEDULER",
            "LLMOPS_TRAINING_LOCAL_PROGRAMS",
        ),
    )  # fmt: skip


SERVICE = service_definition(WIRING)
