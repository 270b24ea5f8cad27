"""The serving service as the host runs it: events, handlers, projections, read API."""

from __future__ import annotations

from llmops_events import catalog as catalog_contracts
from llmops_events import prompt as prompt_contracts
from llmops_events import serving as contracts
from llmops_runtime.auth import Permission, from_payload
from llmops_runtime.budgets import BUDGET_EVENTS
from llmops_runtime.service import ServiceDefinition, Wiring
from serving_service.bootstrap import WIRING
from serving_service.domain import AGGREGATES
from serving_service.projections import projections
from serving_service.views import ServingViews

_OWNER = ServingViews.owner_team_of
# What each command needs; a binding scoped to an owner team grants it for that team's endpoints.
PERMISSIONS = {
    contracts.DeployServingEndpoint: Permission(
        "deploy", "serving_endpoint", from_payload("owner_team")
    ),
    contracts.RollBackServingEndpoint: Permission("rollback", "serving_endpoint", _OWNER),
    contracts.ReportHealthCheck: Permission("operate", "serving_endpoint", _OWNER),
    contracts.RecordServingObservations: Permission("record", "serving_endpoint", _OWNER),
    contracts.CloseObservationWindows: Permission("operate", "serving_endpoint", _OWNER),
}  # fmt: skip
CONSUMED = (
    catalog_contracts.ModelVersionApproved, catalog_contracts.ModelVersionDeprecated,
    catalog_contracts.ModelAliasAssigned, catalog_contracts.ModelAliasMoved,
    catalog_contracts.ModelAliasRemoved, prompt_contracts.PromptLabelAssigned,
    prompt_contracts.PromptLabelMoved, prompt_contracts.PromptLabelRemoved, *BUDGET_EVENTS,
)  # fmt: skip


def service_definition(wiring: Wiring[ServingViews]) -> ServiceDefinition:
    """The definition over a wiring (tests give one with their own settings and clock)."""
    return wiring.definition(
        "serving", http_port=8105, contracts=contracts, event_classes=AGGREGATES,
        projections=projections(), permissions=PERMISSIONS, consumed_event_contracts=CONSUMED,
        deploy_settings=("LLMOPS_SERVING_PROBE_HOSTS",),
    )  # fmt: skip


SERVICE = service_definition(WIRING)
