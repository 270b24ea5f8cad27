"""HTTP reads of prompt experiments and of the prohibited tokens in force."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

import asyncpg
from fastapi import APIRouter, HTTPException

from llmops_runtime.eventstore import EventStore
from llmops_runtime.http.history import load_as_of, stream_history
from llmops_runtime.http.pagination import KeyColumn, Keyset, Page, fetch_page
from prompt_service.api.rows import experiment_state, row_json
from prompt_service.domain import PromptExperiment
from prompt_service.projections.queries import PostgresPromptReadModel

EXPERIMENTS_KEY = Keyset(
    (
        KeyColumn("start_at", "timestamptz", "start_at"),
        KeyColumn("prompt_experiment_id", "uuid", "prompt_experiment_id"),
    ),
    descending=True,
)


def experiments_router(
    pool: asyncpg.Pool, schema: str, store: EventStore, default_tokens: Sequence[str]
) -> APIRouter:
    """GET /prompt-experiments[/{id}[/history]] and /prohibited-tokens."""
    router = APIRouter(tags=["prompt experiments"])
    reads = PostgresPromptReadModel(pool, schema)

    @router.get("/prompt-experiments")
    async def list_experiments(
        status: str | None = None,
        metric: str | None = None,
        *,
        page: Page,
    ) -> dict[str, Any]:
        """A page of experiments, latest start first, filtered by status and metric."""
        return await fetch_page(
            pool, page, EXPERIMENTS_KEY,
            select=f"SELECT * FROM {schema}.prompt_experiments",
            where="($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR metric = $2)",
            args=[status, metric], to_json=row_json,
        )  # fmt: skip

    @router.get("/prompt-experiments/{prompt_experiment_id}")
    async def experiment(prompt_experiment_id: UUID, as_of: str | None = None) -> dict[str, Any]:
        """The experiment now (read model), or as of a time (rebuilt from the event store)."""
        if as_of is not None:
            return experiment_state(
                await load_as_of(
                    store, prompt_experiment_id, as_of, PromptExperiment, "prompt experiment"
                )
            )
        row = await pool.fetchrow(
            f"SELECT * FROM {schema}.prompt_experiments WHERE prompt_experiment_id = $1",
            prompt_experiment_id,
        )
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
        return {"defaults": list(default_tokens), "governance": await reads.governance_tokens()}

    return router
