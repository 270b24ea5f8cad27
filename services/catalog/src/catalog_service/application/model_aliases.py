"""Handlers of the alias commands: an alias moves atomically as one event on one aggregate."""

from __future__ import annotations

from catalog_service.domain import AliasTarget, ModelAlias, ModelVersion
from llmops_domain.errors import NotFound
from llmops_events import catalog as contracts
from llmops_runtime.commands import CommandRegistry, HandlerContext


def register_model_alias_handlers(registry: CommandRegistry) -> None:
    """Register the handlers of the two alias commands."""

    @registry.handles(contracts.SetModelAlias)
    async def set_alias(p: contracts.SetModelAlias, ctx: HandlerContext) -> list[ModelAlias]:
        # The target's status comes from its own aggregate: same service, so never stale.
        version = await ctx.require(p.model_version_id, ModelVersion)
        target = AliasTarget(str(version.id), version.name, version.status)
        alias = await ctx.load(ModelAlias.id_for(p.name, p.alias), ModelAlias)
        if alias is None:
            return [ModelAlias.assign(name=p.name, alias=p.alias, target=target, actor=ctx.actor)]
        alias.move_to(target=target, actor=ctx.actor)
        return [alias]

    @registry.handles(contracts.RemoveModelAlias)
    async def remove_alias(p: contracts.RemoveModelAlias, ctx: HandlerContext) -> list[ModelAlias]:
        alias = await ctx.load(ModelAlias.id_for(p.name, p.alias), ModelAlias)
        if alias is None:
            raise NotFound(f"model {p.name!r} has no alias {p.alias!r}")
        alias.remove(actor=ctx.actor)
        return [alias]
