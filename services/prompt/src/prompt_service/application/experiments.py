"""Handlers of the experiment commands: start, record observations, conclude."""

from __future__ import annotations

from datetime import UTC, datetime

from llmops_domain.errors import DuplicateVersion
from llmops_events import prompt_commands as contracts
from llmops_runtime.commands import CommandRegistry, HandlerContext
from prompt_service.domain import PromptExperiment, PromptTemplate


def register_experiment_handlers(registry: CommandRegistry) -> None:
    """Register the handlers of the three experiment commands."""

    @registry.handles(contracts.StartPromptExperiment)
    async def start(
        p: contracts.StartPromptExperiment, ctx: HandlerContext
    ) -> list[PromptExperiment]:
        if await ctx.load(PromptExperiment.id_for(p.name), PromptExperiment):
            raise DuplicateVersion(f"an experiment named {p.name!r} already exists")
        a = await ctx.require(p.template_a_id, PromptTemplate)
        b = await ctx.require(p.template_b_id, PromptTemplate)
        experiment = PromptExperiment.start(
            name=p.name,
            template_a_id=str(a.id),
            template_b_id=str(b.id),
            template_a_status=a.status,
            template_b_status=b.status,
            allocation={str(k): v for k, v in p.allocation.items()},
            metric=p.metric,
            start_at=p.start_at or datetime.now(UTC),
            end_at=p.end_at,
            min_traffic_per_variant=p.min_traffic_per_variant,
            actor=ctx.actor,
        )
        return [experiment]

    @registry.handles(contracts.RecordExperimentObservations)
    async def record(
        p: contracts.RecordExperimentObservations, ctx: HandlerContext
    ) -> list[PromptExperiment]:
        experiment = await ctx.require(p.prompt_experiment_id, PromptExperiment)
        experiment.record_observations(variant=p.variant, values=p.values)
        return [experiment]

    @registry.handles(contracts.ConcludePromptExperiment)
    async def conclude(
        p: contracts.ConcludePromptExperiment, ctx: HandlerContext
    ) -> list[PromptExperiment]:
        experiment = await ctx.require(p.prompt_experiment_id, PromptExperiment)
        experiment.conclude(now=datetime.now(UTC), actor=ctx.actor)
        return [experiment]
