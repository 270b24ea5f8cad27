"""The dataset service as the host runs it: events, handlers, projections, read API."""

from __future__ import annotations

from dataset_service.bootstrap import WIRING
from dataset_service.domain import AGGREGATES
from dataset_service.projections import projections
from llmops_events import dataset as contracts
from llmops_runtime.service import ServiceDefinition

SERVICE = ServiceDefinition(
    name="dataset",
    version="0.1.0",
    http_port=8102,
    event_classes=AGGREGATES,
    build_commands=WIRING.build_commands,
    build_routers=WIRING.build_routers,
    projections=projections(),
    command_contracts=contracts.COMMANDS,
    event_contracts=contracts.EVENTS,
    published_events=contracts.PUBLISHED,
)
