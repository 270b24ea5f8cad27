"""Handler of the retry override: what the training service accepts above 3 retries."""

from __future__ import annotations

from governance_service.domain import RetryOverride, already_approved
from llmops_events import governance as contracts
from llmops_runtime.commands import CommandRegistry, HandlerContext


def register_retry_override_handlers(registry: CommandRegistry) -> None:
    """Register governance.approve_retry_override."""

    @registry.handles(contracts.ApproveRetryOverride)
    async def approve(
        p: contracts.ApproveRetryOverride, ctx: HandlerContext
    ) -> list[RetryOverride]:
        """One override per training job, approved by the actor."""
        existing = await ctx.load(RetryOverride.create_id(p.training_job_id), RetryOverride)
        if existing is not None:
            raise already_approved(p.training_job_id, existing)
        override = RetryOverride.approve(
            training_job_id=p.training_job_id, max_retries=p.max_retries, actor=ctx.actor,
            reason=p.reason,
        )  # fmt: skip
        return [override]
