"""The prompt service as the host runs it: events, handlers, projections, read API."""

from __future__ import annotations

from llmops_events import governance as governance_contracts
from llmops_events import prompt as contracts
from llmops_events import prompt_commands as command_contracts
from llmops_runtime.service import ServiceDefinition
from prompt_service.bootstrap import WIRING
from prompt_service.domain import AGGREGATES
from prompt_service.projections import projections

SERVICE = ServiceDefinition(
    name="prompt",
    version="0.1.0",
    http_port=8103,
    event_classes=AGGREGATES,
    build_commands=WIRING.build_commands,
    build_routers=WIRING.build_routers,
    projections=projections(),
    command_contracts=command_contracts.COMMANDS,
    event_contracts=contracts.EVENTS,
    published_events=contracts.PUBLISHED,
    consumed_event_contracts=governance_contracts.EVENTS,
)
