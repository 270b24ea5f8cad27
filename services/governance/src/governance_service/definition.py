"""The governance service as the host runs it: events, handlers, projections, read API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from governance_service.bootstrap import SETTINGS, WIRING
from governance_service.domain import AGGREGATES
from governance_service.projections import projections
from governance_service.settings import GovernanceSettings
from llmops_events import governance as contracts
from llmops_runtime.auth import Permission
from llmops_runtime.service import ServiceDefinition, Wiring

# Only admins change who may do what; policies follow the same path as models: drafted and
# revised by submitters, put in force by approvers, reviewed by reviewers.
PERMISSIONS = {
    contracts.GrantRole: Permission("administer", "role_binding"),
    contracts.RevokeRole: Permission("administer", "role_binding"),
    contracts.DraftPolicy: Permission("register", "policy"),
    contracts.RevisePolicyRules: Permission("amend", "policy"),
    contracts.ActivatePolicy: Permission("approve", "policy"),
    contracts.SuspendPolicy: Permission("deprecate", "policy"),
    contracts.RetirePolicy: Permission("deprecate", "policy"),
    contracts.ReviewPolicy: Permission("review", "policy"),
    contracts.RecordPolicyViolation: Permission("record_evidence", "policy_violation"),
    contracts.ApproveRetryOverride: Permission("approve", "retry_override"),
}


def regrant_as_grant(event: contracts.RoleBindingRegranted) -> contracts.RoleBindingGranted:
    """A re-grant goes out as a grant: consumers see one event for "this binding is active"."""
    return contracts.RoleBindingGranted.model_validate(event.model_dump())


def service_definition(
    wiring: Wiring[Any] = WIRING, settings: Callable[[], GovernanceSettings] = SETTINGS
) -> ServiceDefinition:
    """The definition over a wiring; the projection's review period is read when first used."""
    return wiring.definition(
        "governance", http_port=8108, contracts=contracts, event_classes=AGGREGATES,
        projections=projections(lambda: settings().review_period), permissions=PERMISSIONS,
        published_events=(*contracts.PUBLISHED, contracts.RoleBindingRegranted),
        event_translators={contracts.RoleBindingRegranted: regrant_as_grant},
    )  # fmt: skip


SERVICE = service_definition()
