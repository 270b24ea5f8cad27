"""Projections of catalog versions and aliases and of prompt labels the deploy rules read."""

from __future__ import annotations

from llmops_events import catalog, prompt
from llmops_runtime.projections.projector import Projector
from llmops_runtime.projections.rows import Rows
from llmops_runtime.relay.envelope import EventEnvelope

models = Projector()
labels = Projector()


@models.on(catalog.ModelVersionApproved)
async def approved(rows: Rows, e: catalog.ModelVersionApproved, env: EventEnvelope) -> None:
    """Approved (a deprecation seen earlier is not undone by a late approval)."""
    row = {"model_entry_id": e.model_version_id, "name": e.name, "version": e.version}
    row |= {"status": "approved", "updated_at": env.committed_at}
    await rows.insert("catalog_models", row, on_conflict=("model_entry_id",))


@models.on(catalog.ModelVersionDeprecated)
async def deprecated(rows: Rows, e: catalog.ModelVersionDeprecated, env: EventEnvelope) -> None:
    """Deprecated: no new deployment or rollback may use it."""
    row = {"model_entry_id": e.model_version_id, "status": "deprecated"}
    await rows.upsert(
        "catalog_models", row | {"updated_at": env.committed_at}, key=("model_entry_id",)
    )


async def _alias(rows: Rows, name: str, alias: str, target: object, env: EventEnvelope) -> None:
    row = {"name": name, "alias": alias, "model_version_id": target, "updated_at": env.committed_at}
    await rows.upsert("catalog_aliases", row, key=("name", "alias"))


@models.on(catalog.ModelAliasAssigned)
async def alias_assigned(rows: Rows, e: catalog.ModelAliasAssigned, env: EventEnvelope) -> None:
    """A new alias."""
    await _alias(rows, e.name, e.alias, e.model_version_id, env)


@models.on(catalog.ModelAliasMoved)
async def alias_moved(rows: Rows, e: catalog.ModelAliasMoved, env: EventEnvelope) -> None:
    """An alias on another version."""
    await _alias(rows, e.name, e.alias, e.model_version_id, env)


@models.on(catalog.ModelAliasRemoved)
async def alias_removed(rows: Rows, e: catalog.ModelAliasRemoved, env: EventEnvelope) -> None:
    """An alias pointing nowhere."""
    await _alias(rows, e.name, e.alias, None, env)


async def _label(rows: Rows, e: object, target: object, env: EventEnvelope) -> None:
    row = {"name": getattr(e, "name"), "label": getattr(e, "label")}  # noqa: B009
    row |= {"prompt_label_id": getattr(e, "prompt_label_id"), "prompt_template_id": target}  # noqa: B009
    await rows.upsert(
        "prompt_labels", row | {"updated_at": env.committed_at}, key=("name", "label")
    )


@labels.on(prompt.PromptLabelAssigned)
async def label_assigned(rows: Rows, e: prompt.PromptLabelAssigned, env: EventEnvelope) -> None:
    """A new label."""
    await _label(rows, e, e.prompt_template_id, env)


@labels.on(prompt.PromptLabelMoved)
async def label_moved(rows: Rows, e: prompt.PromptLabelMoved, env: EventEnvelope) -> None:
    """A label on another template."""
    await _label(rows, e, e.prompt_template_id, env)


@labels.on(prompt.PromptLabelRemoved)
async def label_removed(rows: Rows, e: prompt.PromptLabelRemoved, env: EventEnvelope) -> None:
    """A label pointing nowhere."""
    await _label(rows, e, None, env)
