"""Handlers of the dataset version commands: load, call the aggregate, return it."""

from __future__ import annotations

from typing import Protocol

from dataset_service.domain import DatasetSeries, DatasetVersion
from llmops_domain.errors import DuplicateVersion
from llmops_events import dataset as contracts
from llmops_runtime.commands import HandlerContext, handles
from llmops_runtime.commands.handlers import Handler


@handles(contracts.RegisterDatasetVersion)
async def register(
    p: contracts.RegisterDatasetVersion, ctx: HandlerContext
) -> list[DatasetVersion | DatasetSeries]:
    """Register a version; the first of a name also starts its series."""
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


@handles(contracts.RecordPiiScan)
async def record_pii_scan(p: contracts.RecordPiiScan, ctx: HandlerContext) -> list[DatasetVersion]:
    """Record the PII scan's outcome."""
    version = await ctx.require(p.dataset_version_id, DatasetVersion)
    version.record_pii_scan(status=p.pii_scan_status, actor=ctx.actor, notes=p.notes)
    return [version]


@handles(contracts.RecordQualityScore)
async def record_quality_score(
    p: contracts.RecordQualityScore, ctx: HandlerContext
) -> list[DatasetVersion]:
    """Record the quality score."""
    version = await ctx.require(p.dataset_version_id, DatasetVersion)
    version.record_quality_score(score=p.quality_score, actor=ctx.actor)
    return [version]


@handles(contracts.AmendChangeLog)
async def amend_change_log(
    p: contracts.AmendChangeLog, ctx: HandlerContext
) -> list[DatasetVersion]:
    """Replace the change log of an unapproved version."""
    version = await ctx.require(p.dataset_version_id, DatasetVersion)
    version.amend_change_log(change_log=p.change_log, actor=ctx.actor)
    return [version]


class DatasetReadModel(Protocol):
    """What approval reads from the service's projection of governance policies."""

    async def overdue_policies(self) -> list[tuple[str, str]]:
        """(name, due) of each active `dataset`-scope policy overdue for review."""
        ...


def approval_handler(reads: DatasetReadModel) -> Handler:
    """dataset.approve_dataset_version over the policies the service has projected."""

    @handles(contracts.ApproveDatasetVersion)
    async def approve(
        p: contracts.ApproveDatasetVersion, ctx: HandlerContext
    ) -> list[DatasetVersion]:
        """Approve a version: it becomes an immutable snapshot."""
        version = await ctx.require(p.dataset_version_id, DatasetVersion)
        overdue = await reads.overdue_policies()
        version.approve(actor=ctx.actor, reason=p.reason, overdue_policies=overdue)
        return [version]

    return approve


HANDLERS = (register, record_pii_scan, record_quality_score, amend_change_log)
