"""Handlers of the alias commands: an alias moves atomically as one event on one aggregate."""

from __future__ import annotations

from catalog_service.application.model_versions import load_version
from catalog_service.domain import AliasTarget, ModelAlias, NotFound
from llmops_events import catalog as contracts
from llmops_runtime.commands import CommandRegistry, HandlerContext


def register_model_alias_handlers(registry: CommandRegistry) -> None:
    """Register the handlers of the two alias commands."""

    @registry.command(contracts.SetModelAlias.WIRE_NAME, contracts.SetModelAlias)
    async def set_alias(p: contracts.SetModelAlias, ctx: HandlerContext) -> list[ModelAlias]:
        # The target's status comes from its own aggregate: same service, so never stale.
        version = await load_version(ctx, p.model_version_id)
        target = AliasTarget(str(version.id), version.name, version.status)
        alias = await ctx.load(ModelAlias.id_for(p.name, p.alias), ModelAlias)
        if alias is None:
            return [ModelAlias.assign(name=p.name, alias=p.alias, target=target, actor=ctx.actor)]
        alias.move_to(target=target, actor=ctx.actor)
        return [alias]

    @registry.command(contracts.RemoveModelAlias.WIRE_NAME, contracts.RemoveModelAlias)
    async def remove_alias(p: contracts.RemoveModelAlias, ctx: HandlerContext) -> list[ModelAlias]:
        alias = await ctx.load(ModelAlias.id_for(p.name, p.alias), ModelAlias)
        if alias is None:
            raise NotFound(f"model {p.name!r} has no alias {p.alias!r}")
        alias.remove(actor=ctx.actor)
        return [alias]
