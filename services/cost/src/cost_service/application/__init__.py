"""The cost service's command handlers."""

from cost_service.domain import Item
from llmops_domain.errors import DuplicateVersion
from llmops_events import cost as contracts
from llmops_runtime.commands import HandlerContext, handles


@handles(contracts.RegisterCostItem)
async def register_item(p: contracts.RegisterCostItem, ctx: HandlerContext) -> list[Item]:
    """Register an item; its name must not be taken."""
    if await ctx.load(Item.id_for(p.name), Item):
        raise DuplicateVersion(f"item {p.name!r} is already registered")
    return [Item.register(name=p.name, actor=ctx.actor)]
