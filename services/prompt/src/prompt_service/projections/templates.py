"""Projection of the prompt service's template and label events."""

from __future__ import annotations

import json
from uuid import UUID

from llmops_events import prompt as contracts
from llmops_runtime.projections.projector import Projector
from llmops_runtime.projections.rows import Rows
from llmops_runtime.relay.envelope import EventEnvelope

projector = Projector()
TEMPLATES = "prompt_templates"


@projector.on(contracts.PromptTemplateRegistered)
async def registered(rows: Rows, e: contracts.PromptTemplateRegistered, env: EventEnvelope) -> None:
    """A new draft template."""
    row = e.model_dump(include={"prompt_template_id", "name", "version", "language", "content"})
    row |= {"context_tags": json.dumps(e.context_tags), "status": "draft"}
    row |= {"registered_by": e.registered_by, "created_at": env.committed_at}
    row |= {"updated_at": env.committed_at}
    await rows.insert(TEMPLATES, row, on_conflict=("prompt_template_id",))


async def _set(rows: Rows, template_id: UUID, env: EventEnvelope, **values: object) -> None:
    where = {"prompt_template_id": template_id}
    await rows.update(TEMPLATES, where, values | {"updated_at": env.committed_at})


@projector.on(contracts.PromptTemplateRevised)
async def revised(rows: Rows, e: contracts.PromptTemplateRevised, env: EventEnvelope) -> None:
    """New content and tags."""
    tags = json.dumps(e.context_tags)
    await _set(rows, e.prompt_template_id, env, content=e.content, context_tags=tags)


@projector.on(contracts.PromptTemplateWentLive)
async def went_live(rows: Rows, e: contracts.PromptTemplateWentLive, env: EventEnvelope) -> None:
    """Live."""
    await _set(rows, e.prompt_template_id, env, status="live")


@projector.on(contracts.PromptTemplateRetired)
async def retired(rows: Rows, e: contracts.PromptTemplateRetired, env: EventEnvelope) -> None:
    """Retired."""
    await _set(rows, e.prompt_template_id, env, status="retired")


async def _label(
    rows: Rows,
    e: contracts.PromptLabelAssigned | contracts.PromptLabelMoved | contracts.PromptLabelRemoved,
    template_id: UUID | None,
    actor: str,
    env: EventEnvelope,
) -> None:
    row = {"prompt_label_id": e.prompt_label_id, "name": e.name, "label": e.label}
    row |= {"prompt_template_id": template_id, "updated_by": actor, "updated_at": env.committed_at}
    await rows.upsert("prompt_labels", row, key=("prompt_label_id",))


@projector.on(contracts.PromptLabelAssigned)
async def label_assigned(rows: Rows, e: contracts.PromptLabelAssigned, env: EventEnvelope) -> None:
    """The label points at its template."""
    await _label(rows, e, e.prompt_template_id, e.assigned_by, env)


@projector.on(contracts.PromptLabelMoved)
async def label_moved(rows: Rows, e: contracts.PromptLabelMoved, env: EventEnvelope) -> None:
    """The label points at another template."""
    await _label(rows, e, e.prompt_template_id, e.moved_by, env)


@projector.on(contracts.PromptLabelRemoved)
async def label_removed(rows: Rows, e: contracts.PromptLabelRemoved, env: EventEnvelope) -> None:
    """The label points nowhere."""
    await _label(rows, e, None, e.removed_by, env)
