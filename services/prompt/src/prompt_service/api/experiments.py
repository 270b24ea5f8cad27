"""HTTP reads of prompt experiments and of the prohibited tokens in force."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from fastapi import APIRouter

from llmops_runtime.eventstore import EventStore
from llmops_runtime.http.stream_routes import StreamRoutes
from llmops_runtime.http.table_routes import add_list_route
from prompt_service.api.rows import experiment_state, row_json
from prompt_service.domain import PromptExperiment
from prompt_service.views import PromptViews


def experiments_router(
    views: PromptViews, store: EventStore, default_tokens: Sequence[str]
) -> APIRouter:
    """GET /prompt-experiments[/{id}[/history]] and /prohibited-tokens."""
    router = APIRouter(tags=["prompt experiments"])

    add_list_route(
        router, "/prompt-experiments", views.experiments, row_json,
        description="A page of experiments, latest start first, filtered by status and metric.",
    )  # fmt: skip

    StreamRoutes(
        store, PromptExperiment, "prompt experiment", state=experiment_state,
        now=functools.partial(views.experiments.one_json, row_json),
    ).add_to(router, "/prompt-experiments")  # fmt: skip

    @router.get("/prohibited-tokens")
    async def prohibited_tokens() -> dict[str, list[str]]:
        """The tokens the go-live filter uses: configured defaults and governance policies."""
        return {"defaults": list(default_tokens), "governance": await views.governance_tokens()}

    return router
