"""What a service declares; the host composes the adapters around it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import asyncpg
from fastapi import APIRouter
from pydantic import BaseModel

from llmops_runtime.commands import CommandRegistry
from llmops_runtime.eventstore import EventStore


@dataclass(frozen=True)
class ServiceResources:
    """The adapters the host built, handed to a service's factories."""

    name: str
    schema: str
    pool: asyncpg.Pool
    store: EventStore


@dataclass(frozen=True)
class ServiceDefinition:
    """A service: its events, command handlers, projections and read API.

    Nothing here connects: factories receive the resources when the host starts.
    """

    name: str
    version: str
    main_module: str
    event_classes: Sequence[type[Any]]
    build_commands: Callable[[ServiceResources], CommandRegistry]
    build_routers: Callable[[ServiceResources], Sequence[APIRouter]]
    projections: Sequence[Any] = ()
    command_contracts: Sequence[type[BaseModel]] = ()
    event_contracts: Sequence[type[BaseModel]] = ()
    consumed_event_contracts: Sequence[type[BaseModel]] = field(default_factory=tuple)
    # The HTTP port the local stack and compose give the service (8100 console ... 8108);
    # 0 only for services that are never run by `llmops dev up` (tests).
    http_port: int = 0

    @property
    def schema(self) -> str:
        """The PostgreSQL schema the service owns."""
        return self.name
