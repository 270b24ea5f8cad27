"""Built once per started service: the read model both handlers and HTTP routers use."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from fastapi import APIRouter

from dataset_service.api.dataset_versions import dataset_versions_router
from dataset_service.application import build_registry
from dataset_service.views import DatasetViews
from llmops_runtime.commands import CommandRegistry
from llmops_runtime.service import ServiceResources


@dataclass(frozen=True)
class DatasetApp:
    """The service's command handlers and read API over one set of views."""

    views: DatasetViews
    commands: CommandRegistry
    routers: Sequence[APIRouter]


@functools.cache
def bootstrap(resources: ServiceResources) -> DatasetApp:
    """The handlers and routers for these resources, built on the first call only."""
    views = DatasetViews(resources.pool, resources.schema)
    routers = [dataset_versions_router(views, resources.store)]
    return DatasetApp(views=views, commands=build_registry(), routers=routers)
