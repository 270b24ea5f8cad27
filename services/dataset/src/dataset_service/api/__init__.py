"""The dataset service's HTTP read API."""

from collections.abc import Sequence

from fastapi import APIRouter

from dataset_service.api.dataset_versions import dataset_versions_router
from llmops_runtime.service import ServiceResources


def build_routers(resources: ServiceResources) -> Sequence[APIRouter]:
    """Every router of the dataset service, over its own schema."""
    return [dataset_versions_router(resources.pool, resources.schema, resources.store)]


__all__ = ["build_routers"]
