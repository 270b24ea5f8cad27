"""Handlers of the dataset version commands: load, call the aggregate, return it."""

from __future__ import annotations

from uuid import UUID

from dataset_service.domain import DatasetSeries, DatasetVersion, DuplicateVersion, NotFound
from llmops_events import dataset as contracts
from llmops_runtime.commands import CommandRegistry, HandlerContext


async def load_version(ctx: HandlerContext, dataset_version_id: UUID) -> DatasetVersion:
    """The dataset version, or a `not_found` refusal."""
    version = await ctx.load(dataset_version_id, DatasetVersion)
    if version is None:
        raise NotFound(f"no dataset version {dataset_version_id}")
    return version


def register_dataset_handlers(registry: CommandRegistry) -> None:
    """Register the handlers of the five dataset version commands."""

    @registry.command(contracts.RegisterDatasetVersion.WIRE_NAME, contracts.RegisterDatasetVersion)
    async def register(
        p: contracts.RegisterDatasetVersion, ctx: HandlerContext
    ) -> list[DatasetVersion | DatasetSeries]:
        # The id is deterministic, so an existing stream means this version is taken.
        if await ctx.load(DatasetVersion.id_for(p.name, p.version), DatasetVersion):
            raise DuplicateVersion(f"dataset {p.name} {p.version} is already registered")
        # The series is read in the batch's view of the store: never stale, and concurrent
        # registrations of one name conflict on it.
        series = await ctx.load(DatasetSeries.id_for(p.name), DatasetSeries)
        latest = None if series is None else series.latest_version
        version = DatasetVersion.register(
            **p.model_dump(), latest_known_version=latest, actor=ctx.actor
        )
        if series is None:
            return [version, DatasetSeries.start(p.name, p.version)]
        series.add(p.version)
        return [version, series]

    @registry.command(contracts.RecordPiiScan.WIRE_NAME, contracts.RecordPiiScan)
    async def record_pii_scan(
        p: contracts.RecordPiiScan, ctx: HandlerContext
    ) -> list[DatasetVersion]:
        version = await load_version(ctx, p.dataset_version_id)
        version.record_pii_scan(status=p.pii_scan_status, actor=ctx.actor, notes=p.notes)
        return [version]

    @registry.command(contracts.RecordQualityScore.WIRE_NAME, contracts.RecordQualityScore)
    async def record_quality_score(
        p: contracts.RecordQualityScore, ctx: HandlerContext
    ) -> list[DatasetVersion]:
        version = await load_version(ctx, p.dataset_version_id)
        version.record_quality_score(score=p.quality_score, actor=ctx.actor)
        return [version]

    @registry.command(contracts.AmendChangeLog.WIRE_NAME, contracts.AmendChangeLog)
    async def amend_change_log(
        p: contracts.AmendChangeLog, ctx: HandlerContext
    ) -> list[DatasetVersion]:
        version = await load_version(ctx, p.dataset_version_id)
        version.amend_change_log(change_log=p.change_log, actor=ctx.actor)
        return [version]

    @registry.command(contracts.ApproveDatasetVersion.WIRE_NAME, contracts.ApproveDatasetVersion)
    async def approve(
        p: contracts.ApproveDatasetVersion, ctx: HandlerContext
    ) -> list[DatasetVersion]:
        version = await load_version(ctx, p.dataset_version_id)
        version.approve(actor=ctx.actor, reason=p.reason)
        return [version]
