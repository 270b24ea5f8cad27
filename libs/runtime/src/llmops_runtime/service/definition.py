"""What a service declares; the host composes the adapters around it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import asyncpg
from fastapi import APIRouter
from pydantic import BaseModel

from llmops_events.audit import CommandsAudited
from llmops_runtime.auth import Authorizer, Permission
from llmops_runtime.commands import CommandRegistry
from llmops_runtime.eventstore import EventStore
from llmops_runtime.relay.publishing import Publication
from llmops_runtime.service.tasks import BackgroundTask


def _no_tasks(resources: ServiceResources) -> Sequence[BackgroundTask]:
    return ()


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
    event_classes: Sequence[type[Any]]
    build_commands: Callable[[ServiceResources], CommandRegistry]
    build_routers: Callable[[ServiceResources], Sequence[APIRouter]]
    projections: Sequence[Any] = ()
    command_contracts: Sequence[type[BaseModel]] = ()
    event_contracts: Sequence[type[BaseModel]] = ()
    consumed_event_contracts: Sequence[type[BaseModel]] = field(default_factory=tuple)
    # The event contracts the relay publishes (None: every one of event_contracts); the
    # others are internal and stay in the store. A translator maps one to its public contract.
    published_events: Sequence[type[BaseModel]] | None = None
    event_translators: Mapping[type[BaseModel], Callable[[Any], BaseModel]] = field(
        default_factory=dict
    )
    # Background tasks the host starts after the components and cancels on stop.
    build_tasks: Callable[[ServiceResources], Sequence[BackgroundTask]] = _no_tasks

    def publication(self) -> Publication | None:
        """What the relay publishes; None (everything as stored) if no contract is declared.

        The command audit (`CommandsAudited`) the runtime records is published by every service.
        """
        published = self.event_contracts if self.published_events is None else self.published_events
        if self.published_events is None and not published:
            return None
        return Publication(self.public_event_contracts(), self.event_translators)

    def public_event_contracts(self) -> Sequence[type[BaseModel]]:
        """The contracts of the events that leave the service (for its AsyncAPI document)."""
        declared = self.event_contracts if self.published_events is None else self.published_events
        return [*declared, *([] if CommandsAudited in declared else [CommandsAudited])]

    # The permission each command needs, by wire type, and the Authorizer deciding them from
    # the service's projection of governance role bindings (None: every actor is allowed).
    permissions: Mapping[str, Permission] = field(default_factory=dict)
    build_authorizer: Callable[[ServiceResources], Authorizer] | None = None

    # The HTTP port the local stack and compose give the service (8100 console ... 8108);
    # 0 only for services that are never run by `llmops dev up` (tests).
    http_port: int = 0
    # Environment variables a deployment passes through to the service (its own settings,
    # e.g. LLMOPS_PROMPT_PROHIBITED_TOKENS); `llmops dev compose` writes one line for each.
    deploy_settings: Sequence[str] = ()

    @property
    def schema(self) -> str:
        """The PostgreSQL schema the service owns."""
        return self.name
