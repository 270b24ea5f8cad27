"""Handlers of the role commands: grant (or grant again) and revoke."""

from __future__ import annotations

from governance_service.domain import RoleBinding
from llmops_events import governance as contracts
from llmops_runtime.commands import CommandRegistry, HandlerContext

_SCOPE = {"subject_kind", "subject", "role", "resource_type", "owner_team"}


def register_role_handlers(registry: CommandRegistry) -> None:
    """Register GrantRole and RevokeRole."""

    @registry.handles(contracts.GrantRole)
    async def grant(p: contracts.GrantRole, ctx: HandlerContext) -> list[RoleBinding]:
        """A new binding, or a revoked one given back (its id is derived from its scope)."""
        scope = p.model_dump(include=_SCOPE)
        existing = await ctx.load(RoleBinding.create_id(**scope), RoleBinding)
        if existing is None:
            return [RoleBinding.grant(**scope, actor=ctx.actor, reason=p.reason)]
        existing.grant_again(actor=ctx.actor, reason=p.reason)
        return [existing]

    @registry.handles(contracts.RevokeRole)
    async def revoke(p: contracts.RevokeRole, ctx: HandlerContext) -> list[RoleBinding]:
        """Withdraw an active binding."""
        binding = await ctx.require(p.role_binding_id, RoleBinding)
        binding.revoke(actor=ctx.actor, reason=p.reason)
        return [binding]
