"""The evaluation service as the host runs it: events, handlers, projections, read API, worker."""

from __future__ import annotations

from typing import Any

from evaluation_service.bootstrap import WIRING
from evaluation_service.domain import AGGREGATES
from evaluation_service.projections import projections
from evaluation_service.settings import EvaluationSettings
from llmops_events import dataset as dataset_contracts
from llmops_events import evaluation as contracts
from llmops_runtime.auth import Permission
from llmops_runtime.service import ServiceDefinition, Wiring

# What each command needs (governance roles: operator runs, reviewer reviews/records evidence).
PERMISSIONS = {
    contracts.StartEvaluationRun: Permission("run", "evaluation_run"),
    contracts.CancelEvaluationRun: Permission("run", "evaluation_run"),
    contracts.SubmitHumanScores: Permission("review", "evaluation_run"),
    contracts.SubmitJudgeResults: Permission("record_evidence", "evaluation_run"),
    contracts.CompleteEvaluationRun: Permission("review", "evaluation_run"),
}
CONSUMED = (dataset_contracts.DatasetVersionRegistered, dataset_contracts.DatasetVersionApproved)
DEPLOY_SETTINGS = tuple(
    f"LLMOPS_EVALUATION_{name.upper()}" for name in EvaluationSettings.model_fields
)


def service_definition(wiring: Wiring[Any] = WIRING) -> ServiceDefinition:
    """The definition over a wiring (tests give one with their own settings and clock)."""
    return wiring.definition(
        "evaluation", http_port=8106, contracts=contracts, event_classes=AGGREGATES,
        projections=projections(), permissions=PERMISSIONS, consumed_event_contracts=CONSUMED,
        deploy_settings=DEPLOY_SETTINGS,
    )  # fmt: skip


SERVICE = service_definition()
