"""HTTP reads of prompt templates and labels."""

from __future__ import annotations

import functools

from fastapi import APIRouter

from llmops_runtime.eventstore import EventStore
from llmops_runtime.http.named_routes import NamedRoutes
from llmops_runtime.http.stream_routes import StreamRoutes
from llmops_runtime.http.table_routes import add_list_route
from prompt_service.api.rows import row_json, template_state
from prompt_service.domain import PromptLabel, PromptTemplate
from prompt_service.views import PromptViews


def templates_router(views: PromptViews, store: EventStore) -> APIRouter:
    """GET /prompt-templates[/{id}[/history]], /prompt-labels, /prompts/{name}/labels/{label}."""
    router = APIRouter(tags=["prompt templates"])

    add_list_route(
        router, "/prompt-templates", views.templates, row_json,
        description="A page of template versions by name, status, language and context tag.",
    )  # fmt: skip

    StreamRoutes(
        store, PromptTemplate, "prompt template", state=template_state,
        now=functools.partial(views.templates.one_json, row_json),
    ).add_to(router, "/prompt-templates")  # fmt: skip

    add_list_route(
        router, "/prompt-labels", views.labels, row_json,
        description="A page of the labels that point at a version, filtered by prompt name.",
    )  # fmt: skip

    NamedRoutes(
        store, views.labels, row_json, stream_id=PromptLabel.id_for,
        what="label {key!r} of prompt {name!r}",
    ).add_to(router, "/prompts/{name}/labels/{key}")  # fmt: skip
    return router
