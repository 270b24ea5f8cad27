"""A service's composition built once per host: one read model for handlers and HTTP routers."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Generic, TypeVar

from fastapi import APIRouter

from llmops_runtime.commands import CommandRegistry
from llmops_runtime.service.definition import ServiceDefinition, ServiceResources
from llmops_runtime.service.tasks import BackgroundTask

TReads = TypeVar("TReads")


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
        **more: Any,
    ) -> ServiceDefinition:
        """The service's definition over this wiring and its contracts module's tuples.

        COMMANDS, EVENTS and PUBLISHED (if declared) come from `contracts`; `more` sets any other
        ServiceDefinition field, or overrides one of those (e.g. commands in another module).
        """
        fields: dict[str, Any] = {
            "command_contracts": getattr(contracts, "COMMANDS", ()),
            "event_contracts": getattr(contracts, "EVENTS", ()),
            "published_events": getattr(contracts, "PUBLISHED", None),
        }
        return ServiceDefinition(
            name=name, version=version, http_port=http_port, event_classes=event_classes,
            build_commands=self.build_commands, build_routers=self.build_routers,
            build_tasks=self.build_tasks, projections=projections, **(fields | more),
        )  # fmt: skip
