"""A service's composition built once per host: one read model for handlers and HTTP routers."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Generic, TypeVar

from fastapi import APIRouter

from llmops_runtime.auth import Authorizer, Permission, RoleBindingAuthorizer, bootstrap_admins
from llmops_runtime.auth.permissions import permissions_by_wire_type
from llmops_runtime.auth.role_bindings import (
    ROLE_BINDING_EVENTS,
    RoleBindings,
    role_bindings_projection,
)
from llmops_runtime.commands import CommandRegistry
from llmops_runtime.commands.handlers import Handler
from llmops_runtime.service.definition import ServiceDefinition, ServiceResources
from llmops_runtime.service.tasks import BackgroundTask

TReads = TypeVar("TReads")


def registry_of(*handlers: Handler) -> CommandRegistry:
    """A registry of these `@handles` handlers."""
    registry = CommandRegistry()
    registry.include(*handlers)
    return registry


@dataclass(frozen=True)
class Built(Generic[TReads]):
    """What a service's bootstrap returns: its read model, handlers, routers and tasks."""

    reads: TReads
    commands: CommandRegistry
    routers: Sequence[APIRouter]
    tasks: Sequence[BackgroundTask] = ()


@dataclass(frozen=True)
class Wiring(Generic[TReads]):
    """`build_commands` and `build_routers` for a ServiceDefinition, from one bootstrap.

    The bootstrap runs once per resources (one host), so settings are read once and the
    handlers and routers share one read model.
    """

    bootstrap: Callable[[ServiceResources], Built[TReads]]

    def __post_init__(self) -> None:
        object.__setattr__(self, "bootstrap", functools.cache(self.bootstrap))

    def build_commands(self, resources: ServiceResources) -> CommandRegistry:
        """The handlers of the bootstrap for these resources."""
        return self.bootstrap(resources).commands

    def build_routers(self, resources: ServiceResources) -> Sequence[APIRouter]:
        """The routers of the bootstrap for these resources."""
        return self.bootstrap(resources).routers

    def authorizer(
        self, service: str, permissions: Mapping[str, Permission], resources: ServiceResources
    ) -> Authorizer:
        """The role-binding Authorizer over the bootstrap's read model (owner-team lookups)."""
        return RoleBindingAuthorizer(
            service,
            permissions,
            RoleBindings(resources.pool, resources.schema),
            self.bootstrap(resources).reads,
            admins=bootstrap_admins(),
        )

    def build_tasks(self, resources: ServiceResources) -> Sequence[BackgroundTask]:
        """The background tasks of the bootstrap for these resources."""
        return self.bootstrap(resources).tasks

    def definition(
        self,
        name: str,
        *,
        http_port: int,
        contracts: ModuleType,
        event_classes: Sequence[type[Any]],
        projections: Sequence[Any] = (),
        version: str = "0.1.0",
        permissions: Mapping[Any, Permission] | None = None,
        **more: Any,
    ) -> ServiceDefinition:
        """The service's definition over this wiring and its contracts module's tuples.

        COMMANDS, EVENTS and PUBLISHED (if declared) come from `contracts`; `more` sets any other
        ServiceDefinition field, or overrides one of those (e.g. commands in another module).
        With `permissions` (one for every command), the service enforces governance roles:
        it projects role bindings and authorizes each command before its handler runs.
        """
        fields: dict[str, Any] = {
            "command_contracts": getattr(contracts, "COMMANDS", ()),
            "event_contracts": getattr(contracts, "EVENTS", ()),
            "published_events": getattr(contracts, "PUBLISHED", None),
        }
        if permissions is not None:
            commands = more.get("command_contracts", fields["command_contracts"])
            by_type = permissions_by_wire_type(name, commands, permissions)
            fields["permissions"] = by_type
            fields["build_authorizer"] = functools.partial(self.authorizer, name, by_type)
            projections = [*projections, role_bindings_projection()]
            consumed = more.get("consumed_event_contracts", ())
            more["consumed_event_contracts"] = (*consumed, *ROLE_BINDING_EVENTS)
        return ServiceDefinition(
            name=name, version=version, http_port=http_port, event_classes=event_classes,
            build_commands=self.build_commands, build_routers=self.build_routers,
            build_tasks=self.build_tasks, projections=projections, **(fields | more),
        )  # fmt: skip
