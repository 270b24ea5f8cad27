"""The prompt service's HTTP read API."""

from collections.abc import Sequence

from fastapi import APIRouter

from llmops_runtime.service import ServiceResources
from prompt_service.api.experiments import experiments_router
from prompt_service.api.templates import templates_router


def build_routers(
    resources: ServiceResources, default_tokens: Sequence[str]
) -> Sequence[APIRouter]:
    """Every router of the prompt service, over its own schema."""
    pool, schema, store = resources.pool, resources.schema, resources.store
    return [
        templates_router(pool, schema, store),
        experiments_router(pool, schema, store, default_tokens),
    ]


__all__ = ["build_routers"]
