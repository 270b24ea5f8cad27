"""Handlers of the model version commands: load, call the aggregate, return it."""

from __future__ import annotations

from catalog_service.application.read_models import CatalogReadModel
from catalog_service.domain import ModelVersion
from llmops_domain.errors import DuplicateVersion
from llmops_events import catalog as contracts
from llmops_runtime.commands import CommandRegistry, HandlerContext


def register_model_version_handlers(registry: CommandRegistry, reads: CatalogReadModel) -> None:
    """Register the handlers of the five model version commands."""

    @registry.handles(contracts.RegisterModelVersion)
    async def register(
        p: contracts.RegisterModelVersion, ctx: HandlerContext
    ) -> list[ModelVersion]:
        # The id is deterministic, so an existing stream means this version is taken.
        if await ctx.load(ModelVersion.id_for(p.name, p.type, p.version), ModelVersion):
            raise DuplicateVersion(f"{p.name} {p.type} {p.version} is already registered")
        lineage = [str(d) for d in p.lineage_dataset_ids]
        job = p.lineage_training_job_id
        return [
            ModelVersion.register(
                **p.model_dump(exclude={"lineage_dataset_ids", "lineage_training_job_id"}),
                lineage_dataset_ids=lineage,
                known_dataset_ids=await reads.known_dataset_ids(lineage),
                lineage_training_job_id=None if job is None else str(job),
                training_job_succeeded=job is not None and await reads.training_job_succeeded(job),
                actor=ctx.actor,
            )
        ]

    @registry.handles(contracts.SubmitModelVersion)
    async def submit(p: contracts.SubmitModelVersion, ctx: HandlerContext) -> list[ModelVersion]:
        version = await ctx.require(p.model_version_id, ModelVersion)
        version.submit(actor=ctx.actor, reason=p.reason)
        return [version]

    @registry.handles(contracts.ApproveModelVersion)
    async def approve(p: contracts.ApproveModelVersion, ctx: HandlerContext) -> list[ModelVersion]:
        version = await ctx.require(p.model_version_id, ModelVersion)
        evaluations = await reads.evaluations_of(str(p.model_version_id))
        # Recording the evidence first keeps the aggregate's evaluation_summary current.
        for run in evaluations:
            version.record_evaluation(run)
        policies = await reads.governing_policies()
        version.approve(
            reviewer=ctx.actor, reason=p.reason, evaluations=evaluations, policies=policies
        )
        return [version]

    @registry.handles(contracts.RejectModelVersion)
    async def reject(p: contracts.RejectModelVersion, ctx: HandlerContext) -> list[ModelVersion]:
        version = await ctx.require(p.model_version_id, ModelVersion)
        version.reject(reviewer=ctx.actor, reason=p.reason)
        return [version]

    @registry.handles(contracts.DeprecateModelVersion)
    async def deprecate(
        p: contracts.DeprecateModelVersion, ctx: HandlerContext
    ) -> list[ModelVersion]:
        version = await ctx.require(p.model_version_id, ModelVersion)
        version.deprecate(actor=ctx.actor, reason=p.reason)
        return [version]
