"""Handlers of the label commands: a label moves atomically as one event on one aggregate."""

from __future__ import annotations

from llmops_domain.errors import NotFound
from llmops_events import prompt_commands as contracts
from llmops_runtime.commands import CommandRegistry, HandlerContext
from prompt_service.domain import LabelTarget, PromptLabel, PromptTemplate


def register_label_handlers(registry: CommandRegistry) -> None:
    """Register the handlers of the two label commands."""

    @registry.handles(contracts.SetPromptLabel)
    async def set_label(p: contracts.SetPromptLabel, ctx: HandlerContext) -> list[PromptLabel]:
        # The target's status comes from its own aggregate: same service, so never stale.
        template = await ctx.require(p.prompt_template_id, PromptTemplate)
        target = LabelTarget(str(template.id), template.name, template.status)
        label = await ctx.load(PromptLabel.id_for(p.name, p.label), PromptLabel)
        if label is None:
            return [PromptLabel.assign(name=p.name, label=p.label, target=target, actor=ctx.actor)]
        label.move_to(target=target, actor=ctx.actor)
        return [label]

    @registry.handles(contracts.RemovePromptLabel)
    async def remove_label(
        p: contracts.RemovePromptLabel, ctx: HandlerContext
    ) -> list[PromptLabel]:
        label = await ctx.load(PromptLabel.id_for(p.name, p.label), PromptLabel)
        if label is None:
            raise NotFound(f"prompt {p.name!r} has no label {p.label!r}")
        label.remove(actor=ctx.actor)
        return [label]
