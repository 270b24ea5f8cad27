"""HTTP reads of prompt templates and labels."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg
from fastapi import APIRouter, HTTPException

from llmops_runtime.eventstore import EventStore
from llmops_runtime.http.history import load_as_of, stream_history
from llmops_runtime.http.pagination import KeyColumn, Keyset, Page, fetch_page
from prompt_service.api.rows import row_json, template_state
from prompt_service.domain import PromptLabel, PromptTemplate

TEMPLATES_KEY = Keyset(
    (
        KeyColumn("name", "text", "name"),
        KeyColumn("created_at", "timestamptz", "created_at"),
        KeyColumn("prompt_template_id", "uuid", "prompt_template_id"),
    )
)
LABELS_KEY = Keyset((KeyColumn("name", "text", "name"), KeyColumn("label", "text", "label")))


def templates_router(pool: asyncpg.Pool, schema: str, store: EventStore) -> APIRouter:
    """GET /prompt-templates[/{id}[/history]], /prompt-labels, /prompts/{name}/labels/{label}."""
    router = APIRouter(tags=["prompt templates"])

    @router.get("/prompt-templates")
    async def list_templates(
        name: str | None = None,
        status: str | None = None,
        language: str | None = None,
        tag: str | None = None,
        *,
        page: Page,
    ) -> dict[str, Any]:
        """A page of template versions filtered by name, status, language and context tag."""
        return await fetch_page(
            pool, page, TEMPLATES_KEY,
            select=f"SELECT * FROM {schema}.prompt_templates",
            where="($1::text IS NULL OR name = $1)"
            " AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR language = $3)"
            " AND ($4::text IS NULL OR context_tags ? $4)",
            args=[name, status, language, tag], to_json=row_json,
        )  # fmt: skip

    @router.get("/prompt-templates/{prompt_template_id}")
    async def template(prompt_template_id: UUID, as_of: str | None = None) -> dict[str, Any]:
        """The template now (read model), or as of a time (rebuilt from the event store)."""
        if as_of is not None:
            return template_state(
                await load_as_of(
                    store, prompt_template_id, as_of, PromptTemplate, "prompt template"
                )
            )
        row = await pool.fetchrow(
            f"SELECT * FROM {schema}.prompt_templates WHERE prompt_template_id = $1",
            prompt_template_id,
        )
        if row is None:
            raise HTTPException(404, f"no prompt template {prompt_template_id}")
        return row_json(row)

    @router.get("/prompt-templates/{prompt_template_id}/history")
    async def template_history(prompt_template_id: UUID, *, page: Page) -> dict[str, Any]:
        """A page of the events of the template with actor, metadata and commit time."""
        return await stream_history(store, prompt_template_id, "prompt template", page)

    @router.get("/prompt-labels")
    async def list_labels(name: str | None = None, *, page: Page) -> dict[str, Any]:
        """A page of the labels that point at a version, filtered by prompt name."""
        return await fetch_page(
            pool, page, LABELS_KEY,
            select=f"SELECT * FROM {schema}.prompt_labels",
            where="prompt_template_id IS NOT NULL AND ($1::text IS NULL OR name = $1)",
            args=[name], to_json=row_json,
        )  # fmt: skip

    @router.get("/prompts/{name}/labels/{label}")
    async def label(name: str, label: str) -> dict[str, Any]:
        """The version a label points at."""
        row = await pool.fetchrow(
            f"SELECT * FROM {schema}.prompt_labels WHERE name = $1 AND label = $2", name, label
        )
        if row is None:
            raise HTTPException(404, f"prompt {name!r} has no label {label!r}")
        return row_json(row)

    @router.get("/prompts/{name}/labels/{label}/history")
    async def label_history(name: str, label: str, *, page: Page) -> dict[str, Any]:
        """A page of the moves of the label with actor and commit time."""
        label_id = PromptLabel.id_for(name, label)
        return await stream_history(store, label_id, f"label {label!r} of prompt {name!r}", page)

    return router
