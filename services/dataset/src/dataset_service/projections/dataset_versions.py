"""Projection of the dataset service's own events into dataset_versions."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from llmops_events import dataset as contracts
from llmops_runtime.projections.projector import Projector
from llmops_runtime.projections.rows import Rows
from llmops_runtime.relay.envelope import EventEnvelope

projector = Projector()
TABLE = "dataset_versions"
_REGISTERED = {
    "dataset_version_id", "name", "version", "storage_uri", "owner_team", "change_log",
    "previous_version", "diff_summary", "registered_by",
}  # fmt: skip


async def _set(rows: Rows, version_id: UUID, at: datetime, **values: object) -> None:
    await rows.update(TABLE, {"dataset_version_id": version_id}, values | {"updated_at": at})


@projector.on(contracts.DatasetVersionRegistered)
async def registered(rows: Rows, e: contracts.DatasetVersionRegistered, env: EventEnvelope) -> None:
    """A new row, pending its PII scan."""
    # registered_seq orders versions of a name by registration, whatever their labels.
    seq = await rows.count(TABLE, {"name": e.name})
    row = e.model_dump(include=_REGISTERED) | {"pii_scan_status": "pending", "registered_seq": seq}
    row |= {"created_at": env.committed_at, "updated_at": env.committed_at}
    await rows.insert(TABLE, row, on_conflict=("dataset_version_id",))


@projector.on(contracts.DatasetVersionPiiScanRecorded)
async def pii_scan_recorded(
    rows: Rows, e: contracts.DatasetVersionPiiScanRecorded, env: EventEnvelope
) -> None:
    """The scan's status."""
    await _set(rows, e.dataset_version_id, env.committed_at, pii_scan_status=e.pii_scan_status)


@projector.on(contracts.DatasetVersionQualityScored)
async def quality_scored(
    rows: Rows, e: contracts.DatasetVersionQualityScored, env: EventEnvelope
) -> None:
    """The quality score."""
    await _set(rows, e.dataset_version_id, env.committed_at, quality_score=e.quality_score)


@projector.on(contracts.DatasetVersionChangeLogAmended)
async def change_log_amended(
    rows: Rows, e: contracts.DatasetVersionChangeLogAmended, env: EventEnvelope
) -> None:
    """The new change log."""
    await _set(rows, e.dataset_version_id, env.committed_at, change_log=e.change_log)


@projector.on(contracts.DatasetVersionApproved)
async def approved(rows: Rows, e: contracts.DatasetVersionApproved, env: EventEnvelope) -> None:
    """Who approved it, and when."""
    await _set(
        rows, e.dataset_version_id, env.committed_at, approved_by=e.approved_by,
        approved_at=e.approved_at,
    )  # fmt: skip
