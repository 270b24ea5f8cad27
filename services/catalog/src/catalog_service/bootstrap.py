"""Built once per started service: the read model both handlers and HTTP routers use."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from fastapi import APIRouter

from catalog_service.api import build_routers
from catalog_service.application import build_registry
from catalog_service.projections import PostgresCatalogReadModel
from llmops_runtime.commands import CommandRegistry
from llmops_runtime.service import ServiceResources


@dataclass(frozen=True)
class CatalogApp:
    """The catalog's handlers and read API over one read model of datasets and evaluations."""

    reads: PostgresCatalogReadModel
    commands: CommandRegistry
    routers: Sequence[APIRouter]


@functools.cache
def bootstrap(resources: ServiceResources) -> CatalogApp:
    """The handlers and routers for these resources, built on the first call only."""
    reads = PostgresCatalogReadModel(resources.pool, resources.schema)
    return CatalogApp(reads, build_registry(reads), build_routers(resources, reads))
