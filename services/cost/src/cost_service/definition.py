"""The cost service as the host runs it: events, handlers, projections, read API."""

from __future__ import annotations

from cost_service.bootstrap import WIRING
from cost_service.domain import AGGREGATES
from cost_service.projections import projections
from cost_service.views import CostViews
from llmops_events import cost as contracts
from llmops_events import serving as serving_contracts
from llmops_events import training as training_contracts
from llmops_runtime.auth import Permission
from llmops_runtime.service import ServiceDefinition, Wiring

# Prices and budgets are an administrator's (no role but admin grants `configure`); billing
# feeds and finalization an operator's.
PERMISSIONS = {
    contracts.PublishRateCard: Permission("configure", "rate_card"),
    contracts.SetBudget: Permission("configure", "budget"),
    contracts.ImportBillingFeed: Permission("operate", "billing_feed"),
    contracts.FinalizeCostProfile: Permission("operate", "cost_profile"),
}  # fmt: skip
CONSUMED = (
    training_contracts.TrainingJobSubmitted,
    training_contracts.TrainingJobSucceeded,
    training_contracts.TrainingJobFailed,
    training_contracts.TrainingJobCancelled,
    serving_contracts.ServingUsageRecorded,
)


def service_definition(wiring: Wiring[CostViews]) -> ServiceDefinition:
    """The definition over a wiring (tests give one with their own settings and clock)."""
    return wiring.definition(
        "cost", http_port=8107, contracts=contracts, event_classes=AGGREGATES,
        projections=projections(), permissions=PERMISSIONS, consumed_event_contracts=CONSUMED,
        deploy_settings=("LLMOPS_COST_RECONCILIATION_TOLERANCE",),
    )  # fmt: skip


SERVICE = service_definition(WIRING)
