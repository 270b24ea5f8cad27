"""Handlers of the policy commands: draft, revise, lifecycle, review, violations."""

from __future__ import annotations

from governance_service.application.clock import Clock
from governance_service.domain import GovernancePolicy
from llmops_domain.errors import DuplicateVersion
from llmops_events import governance as contracts
from llmops_runtime.commands import CommandRegistry, HandlerContext


def register_policy_handlers(registry: CommandRegistry, now: Clock) -> None:
    """Register the policy commands; `now` stamps lifecycle moves and reviews."""

    @registry.handles(contracts.DraftPolicy)
    async def draft(p: contracts.DraftPolicy, ctx: HandlerContext) -> list[GovernancePolicy]:
        """A new draft; names are unique."""
        if await ctx.load(GovernancePolicy.create_id(p.name), GovernancePolicy):
            raise DuplicateVersion(f"a policy named {p.name!r} exists")
        return [GovernancePolicy.draft(name=p.name, scope=p.scope, rules=p.rules, actor=ctx.actor)]

    @registry.handles(contracts.RevisePolicyRules)
    async def revise(p: contracts.RevisePolicyRules, ctx: HandlerContext) -> list[GovernancePolicy]:
        """Replace the rules of a draft or suspended policy."""
        policy = await ctx.require(p.policy_id, GovernancePolicy)
        policy.revise_rules(p.rules, actor=ctx.actor, reason=p.reason)
        return [policy]

    @registry.handles(contracts.ActivatePolicy)
    async def activate(p: contracts.ActivatePolicy, ctx: HandlerContext) -> list[GovernancePolicy]:
        """Put the policy in force (its prohibited tokens, if any, go out)."""
        policy = await ctx.require(p.policy_id, GovernancePolicy)
        policy.activate(actor=ctx.actor, reason=p.reason, at=now())
        return [policy]

    @registry.handles(contracts.SuspendPolicy)
    async def suspend(p: contracts.SuspendPolicy, ctx: HandlerContext) -> list[GovernancePolicy]:
        """Take the policy out of force."""
        policy = await ctx.require(p.policy_id, GovernancePolicy)
        policy.suspend(actor=ctx.actor, reason=p.reason, at=now())
        return [policy]

    @registry.handles(contracts.RetirePolicy)
    async def retire(p: contracts.RetirePolicy, ctx: HandlerContext) -> list[GovernancePolicy]:
        """End the policy for good."""
        policy = await ctx.require(p.policy_id, GovernancePolicy)
        policy.retire(actor=ctx.actor, reason=p.reason, at=now())
        return [policy]

    @registry.handles(contracts.ReviewPolicy)
    async def review(p: contracts.ReviewPolicy, ctx: HandlerContext) -> list[GovernancePolicy]:
        """Record a review by the actor: it restarts the clock and lifts an overdue state."""
        policy = await ctx.require(p.policy_id, GovernancePolicy)
        policy.review(reviewer=ctx.actor, decision=p.decision, notes=p.notes, at=now())
        return [policy]

    @registry.handles(contracts.RecordPolicyViolation)
    async def record_violation(
        p: contracts.RecordPolicyViolation, ctx: HandlerContext
    ) -> list[GovernancePolicy]:
        """Record a violation of an active policy; its id derives from the command id."""
        policy = await ctx.require(p.policy_id, GovernancePolicy)
        policy.record_violation(
            resource_type=p.resource_type, resource_id=p.resource_id, details=p.details,
            actor=ctx.actor, key=ctx.command_id,
        )  # fmt: skip
        return [policy]
