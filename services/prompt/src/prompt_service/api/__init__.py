"""The prompt service's HTTP read API."""

from collections.abc import Sequence

from fastapi import APIRouter

from llmops_runtime.eventstore import EventStore
from prompt_service.api.experiments import experiments_router
from prompt_service.api.templates import templates_router
from prompt_service.views import PromptViews


def build_routers(
    views: PromptViews, store: EventStore, default_tokens: Sequence[str]
) -> Sequence[APIRouter]:
    """Every router of the prompt service, over its views and the event store."""
    return [
        templates_router(views, store),
        experiments_router(views, store, default_tokens),
    ]


__all__ = ["build_routers"]
