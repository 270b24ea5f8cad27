"""The prompt service as the host runs it: events, handlers, projections, read API."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import APIRouter

from llmops_events import governance as governance_contracts
from llmops_events import prompt as contracts
from llmops_events import prompt_commands as command_contracts
from llmops_runtime.commands import CommandRegistry
from llmops_runtime.service import ServiceDefinition, ServiceResources
from prompt_service.api import build_routers as routers_with_defaults
from prompt_service.application import build_registry
from prompt_service.domain import AGGREGATES
from prompt_service.projections import PostgresPromptReadModel, projections
from prompt_service.settings import PromptSettings


def build_commands(resources: ServiceResources) -> CommandRegistry:
    """The prompt handlers over governance tokens and the configured default list."""
    defaults = PromptSettings().prohibited_tokens
    return build_registry(PostgresPromptReadModel(resources.pool, resources.schema), defaults)


def build_routers(resources: ServiceResources) -> Sequence[APIRouter]:
    """The prompt read API, showing the default tokens in force."""
    return routers_with_defaults(resources, PromptSettings().prohibited_tokens)


SERVICE = ServiceDefinition(
    name="prompt",
    version="0.1.0",
    main_module="prompt_service.main",
    http_port=8103,
    event_classes=AGGREGATES,
    build_commands=build_commands,
    build_routers=build_routers,
    projections=projections(),
    command_contracts=command_contracts.COMMANDS,
    event_contracts=contracts.EVENTS,
    published_events=contracts.PUBLISHED,
    consumed_event_contracts=governance_contracts.EVENTS,
)
