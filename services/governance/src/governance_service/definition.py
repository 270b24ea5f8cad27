"""The governance service as the host runs it: events, handlers, projections, read API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from governance_service.bootstrap import SETTINGS, WIRING
from governance_service.domain import AGGREGATES
from governance_service.projections import projections
from governance_service.settings import GovernanceSettings
from llmops_events import governance as contracts
from llmops_runtime.service import ServiceDefinition, Wiring


def regrant_as_grant(event: contracts.RoleBindingRegranted) -> contracts.RoleBindingGranted:
    """A re-grant goes out as a grant: consumers see one event for "this binding is active"."""
    return contracts.RoleBindingGranted.model_validate(event.model_dump())


def service_definition(
    wiring: Wiring[Any] = WIRING, settings: Callable[[], GovernanceSettings] = SETTINGS
) -> ServiceDefinition:
    """The definition over a wiring; the projection's review period is read when first used."""
    return wiring.definition(
        "governance", http_port=8108, contracts=contracts, event_classes=AGGREGATES,
        projections=projections(lambda: settings().review_period),
        published_events=(*contracts.PUBLISHED, contracts.RoleBindingRegranted),
        event_translators={contracts.RoleBindingRegranted: regrant_as_grant},
    )  # fmt: skip


SERVICE = service_definition()
