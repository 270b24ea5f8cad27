"""A service's composition built once per host: one read model for handlers and HTTP routers."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from fastapi import APIRouter

from llmops_runtime.commands import CommandRegistry
from llmops_runtime.service.definition import ServiceResources

TReads = TypeVar("TReads")


@dataclass(frozen=True)
class Built(Generic[TReads]):
    """What a service's bootstrap returns: its read model, handlers and routers."""

    reads: TReads
    commands: CommandRegistry
    routers: Sequence[APIRouter]


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
