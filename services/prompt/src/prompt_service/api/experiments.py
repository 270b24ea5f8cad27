"""HTTP reads of prompt experiments and of the prohibited tokens in force."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from fastapi import APIRouter, HTTPException

from llmops_runtime.eventstore import EventStore
from llmops_runtime.http.history import load_as_of, stream_history
from llmops_runtime.http.pagination import Page
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
        return await views.experiments_page(page, row_json, status, metric)

    @router.get("/prompt-experiments/{prompt_experiment_id}")
    async def experiment(prompt_experiment_id: UUID, as_of: str | None = None) -> dict[str, Any]:
        """The experiment now (read model), or as of a time (rebuilt from the event store)."""
        if as_of is not None:
            return experiment_state(
                await load_as_of(
                    store, prompt_experiment_id, as_of, PromptExperiment, "prompt experiment"
                )
            )
        row = await views.experiment(prompt_experiment_id)
        if row is None:
            raise HTTPException(404, f"no prompt experiment {prompt_experiment_id}")
        return row_json(row)

    @router.get("/prompt-experiments/{prompt_experiment_id}/history")
    async def history(prompt_experiment_id: UUID, *, page: Page) -> dict[str, Any]:
        """A page of the events of the experiment with actor, metadata and commit time."""
        return await stream_history(store, prompt_experiment_id, "prompt experiment", page)

    @router.get("/prohibited-tokens")
    async def prohibited_tokens() -> dict[str, list[str]]:
        """The tokens the go-live filter uses: configured defaults and governance policies."""
        return {"defaults": list(default_tokens), "governance": await views.governance_tokens()}

    return router
