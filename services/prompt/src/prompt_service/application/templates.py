"""Handlers of the template commands: load, call the aggregate, return it."""

from __future__ import annotations

from collections.abc import Sequence

from llmops_domain.errors import DuplicateVersion
from llmops_events import prompt_commands as contracts
from llmops_runtime.commands import CommandRegistry, HandlerContext
from prompt_service.application.read_models import PromptReadModel
from prompt_service.domain import PromptTemplate


def register_template_handlers(
    registry: CommandRegistry, reads: PromptReadModel, default_tokens: Sequence[str]
) -> None:
    """Register the handlers of the four template commands."""

    @registry.handles(contracts.RegisterPromptTemplate)
    async def register(
        p: contracts.RegisterPromptTemplate, ctx: HandlerContext
    ) -> list[PromptTemplate]:
        # The id is deterministic, so an existing stream means this version is taken.
        if await ctx.load(PromptTemplate.id_for(p.name, p.version), PromptTemplate):
            raise DuplicateVersion(f"prompt {p.name} {p.version} is already registered")
        return [PromptTemplate.register(**p.model_dump(), actor=ctx.actor)]

    @registry.handles(contracts.RevisePromptTemplate)
    async def revise(
        p: contracts.RevisePromptTemplate, ctx: HandlerContext
    ) -> list[PromptTemplate]:
        template = await ctx.require(p.prompt_template_id, PromptTemplate)
        template.revise(content=p.content, context_tags=p.context_tags, actor=ctx.actor)
        return [template]

    @registry.handles(contracts.MakePromptTemplateLive)
    async def make_live(
        p: contracts.MakePromptTemplateLive, ctx: HandlerContext
    ) -> list[PromptTemplate]:
        template = await ctx.require(p.prompt_template_id, PromptTemplate)
        tokens = [*default_tokens, *await reads.governance_tokens()]
        template.go_live(actor=ctx.actor, prohibited_tokens=tokens)
        return [template]

    @registry.handles(contracts.RetirePromptTemplate)
    async def retire(
        p: contracts.RetirePromptTemplate, ctx: HandlerContext
    ) -> list[PromptTemplate]:
        template = await ctx.require(p.prompt_template_id, PromptTemplate)
        template.retire(actor=ctx.actor, reason=p.reason)
        return [template]
