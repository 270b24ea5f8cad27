"""HTTP reads of prompt templates and labels."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, HTTPException

from llmops_runtime.eventstore import EventStore
from llmops_runtime.http.history import load_as_of, stream_history
from llmops_runtime.http.pagination import Page
from prompt_service.api.rows import row_json, template_state
from prompt_service.domain import PromptLabel, PromptTemplate
from prompt_service.views import PromptViews


def templates_router(views: PromptViews, store: EventStore) -> APIRouter:
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
        return await views.templates_page(page, row_json, name, status, language, tag)

    @router.get("/prompt-templates/{prompt_template_id}")
    async def template(prompt_template_id: UUID, as_of: str | None = None) -> dict[str, Any]:
        """The template now (read model), or as of a time (rebuilt from the event store)."""
        if as_of is not None:
            return template_state(
                await load_as_of(
                    store, prompt_template_id, as_of, PromptTemplate, "prompt template"
                )
            )
        row = await views.template(prompt_template_id)
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
        return await views.labels_page(page, row_json, name)

    @router.get("/prompts/{name}/labels/{label}")
    async def label(name: str, label: str) -> dict[str, Any]:
        """The version a label points at."""
        row = await views.label(name, label)
        if row is None:
            raise HTTPException(404, f"prompt {name!r} has no label {label!r}")
        return row_json(row)

    @router.get("/prompts/{name}/labels/{label}/history")
    async def label_history(name: str, label: str, *, page: Page) -> dict[str, Any]:
        """A page of the moves of the label with actor and commit time."""
        label_id = PromptLabel.id_for(name, label)
        return await stream_history(store, label_id, f"label {label!r} of prompt {name!r}", page)

    return router
