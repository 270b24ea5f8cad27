"""Built once per started service: settings read once, one read model for handlers and API."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from fastapi import APIRouter

from llmops_runtime.commands import CommandRegistry
from llmops_runtime.service import ServiceResources
from prompt_service.api import build_routers
from prompt_service.application import build_registry
from prompt_service.projections import PostgresPromptReadModel
from prompt_service.settings import PromptSettings


@dataclass(frozen=True)
class PromptApp:
    """The prompt handlers and read API, with the default prohibited tokens in force."""

    settings: PromptSettings
    commands: CommandRegistry
    routers: Sequence[APIRouter]


@functools.cache
def bootstrap(resources: ServiceResources) -> PromptApp:
    """The handlers and routers for these resources, built on the first call only."""
    settings = PromptSettings()
    reads = PostgresPromptReadModel(resources.pool, resources.schema)
    commands = build_registry(reads, settings.prohibited_tokens)
    return PromptApp(settings, commands, build_routers(resources, settings.prohibited_tokens))
