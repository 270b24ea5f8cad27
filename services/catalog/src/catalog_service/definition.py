"""The catalog service as the host runs it: events, handlers, projections, read API."""

from __future__ import annotations

from catalog_service.bootstrap import WIRING
from catalog_service.domain import AGGREGATES
from catalog_service.projections import projections
from llmops_events import catalog as contracts
from llmops_events import dataset as dataset_contracts
from llmops_events import evaluation as evaluation_contracts
from llmops_runtime.service import ServiceDefinition

SERVICE = ServiceDefinition(
    name="catalog",
    version="0.1.0",
    http_port=8101,
    event_classes=AGGREGATES,
    build_commands=WIRING.build_commands,
    build_routers=WIRING.build_routers,
    projections=projections(),
    command_contracts=contracts.COMMANDS,
    event_contracts=contracts.EVENTS,
    published_events=contracts.PUBLISHED,
    consumed_event_contracts=(
        dataset_contracts.DatasetVersionRegistered,
        dataset_contracts.DatasetVersionApproved,
        *evaluation_contracts.EVENTS,
    ),
)
