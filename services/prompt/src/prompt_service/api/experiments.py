"""HTTP reads of prompt experiments and of the prohibited tokens in force."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter

from llmops_runtime.eventstore import EventStore
from llmops_runtime.http.pagination import Page
from llmops_runtime.http.stream_routes import StreamRoutes
from prompt_service.api.rows import experiment_state, row_json
from prompt_service.domain import PromptExperiment
from prompt_service.views import PromptViews


def experiments_router(
    views: PromptViews, store: EventStore, default_tokens: Sequence[str]
) -> APIRouter:
    """GET /prompt-experiments[/{id}[/history]] and /prohibited-tokens."""
    router = APIRouter(tags=["prompt experiments"])

    @router.get("/prompt-experiments")
    async def list_experiments(
        status: str | None = None,
        metric: str | None = None,
        *,
        page: Page,
    ) -> dict[str, Any]:
        """A page of experiments, latest start first, filtered by status and metric."""
        return await views.experiments.page(page, row_json, status, metric)

    StreamRoutes(
        store, PromptExperiment, "prompt experiment", state=experiment_state,
        now=functools.partial(views.experiments.one_json, row_json),
    ).add_to(router, "/prompt-experiments")  # fmt: skip

    @router.get("/prohibited-tokens")
    async def prohibited_tokens() -> dict[str, list[str]]:
        """The tokens the go-live filter uses: configured defaults and governance policies."""
        return {"defaults": list(default_tokens), "governance": await views.governance_tokens()}

    return router
