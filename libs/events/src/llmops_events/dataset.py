"""Contracts of the dataset service: dataset versions (DatasetRecord)."""

from typing import Literal
from uuid import UUID

from pydantic import AwareDatetime, Field

from llmops_events.base import CommandContract, EventContract, Name, Text, Uri

PiiScanStatus = Literal["pending", "clean", "failed"]


# --- events -------------------------------------------------------------------------------


class DatasetVersionRegistered(EventContract):
    """A dataset version was registered; its PII scan is pending."""

    WIRE_NAME = "dataset.version.registered"
    dataset_version_id: UUID
    name: Name
    version: Name
    storage_uri: Uri
    owner_team: Name
    change_log: Text
    previous_version: Name | None
    previous_version_id: UUID | None
    diff_summary: Text | None
    registered_by: Name


class DatasetVersionPiiScanRecorded(EventContract):
    """The result of a PII scan of a dataset version was recorded."""

    WIRE_NAME = "dataset.version.pii_scan_recorded"
    dataset_version_id: UUID
    pii_scan_status: PiiScanStatus
    notes: Text
    recorded_by: Name


class DatasetVersionQualityScored(EventContract):
    """A dataset version received a quality score between 0 and 100."""

    WIRE_NAME = "dataset.version.quality_scored"
    dataset_version_id: UUID
    quality_score: float
    recorded_by: Name


class DatasetVersionChangeLogAmended(EventContract):
    """The change log of a dataset version not yet approved was replaced."""

    WIRE_NAME = "dataset.version.change_log_amended"
    dataset_version_id: UUID
    change_log: Text
    amended_by: Name


class DatasetVersionApproved(EventContract):
    """A dataset version was approved: from now on it is an immutable snapshot."""

    WIRE_NAME = "dataset.version.approved"
    dataset_version_id: UUID
    immutable_snapshot: Literal[True]
    name: Name
    version: Name
    storage_uri: Uri
    owner_team: Name
    change_log: Text
    previous_version: Name | None
    diff_summary: Text | None
    pii_scan_status: Literal["clean"]
    quality_score: float | None
    approved_by: Name
    approved_at: AwareDatetime
    reason: Text


# --- commands -----------------------------------------------------------------------------


class RegisterDatasetVersion(CommandContract):
    """Register a dataset version; all but the first of a name reference the prior one."""

    WIRE_NAME = "dataset.register_dataset_version"
    name: Name
    version: Name
    storage_uri: Uri
    owner_team: Name
    change_log: Text
    previous_version: Name | None = Field(
        default=None, description="The latest known version of this name; required after the first."
    )
    diff_summary: Text | None = Field(
        default=None, description="What changed since previous_version; required after the first."
    )


class RecordPiiScan(CommandContract):
    """Record the result of a PII scan of a dataset version."""

    WIRE_NAME = "dataset.record_pii_scan"
    dataset_version_id: UUID
    pii_scan_status: PiiScanStatus
    notes: Text = ""


class RecordQualityScore(CommandContract):
    """Record the quality score (0-100) of a dataset version."""

    WIRE_NAME = "dataset.record_quality_score"
    dataset_version_id: UUID
    quality_score: float


class AmendChangeLog(CommandContract):
    """Replace the change log of a dataset version not yet approved."""

    WIRE_NAME = "dataset.amend_change_log"
    dataset_version_id: UUID
    change_log: Text


class ApproveDatasetVersion(CommandContract):
    """Approve a dataset version whose PII scan is clean, freezing it as a snapshot."""

    WIRE_NAME = "dataset.approve_dataset_version"
    dataset_version_id: UUID
    reason: Text


class DatasetSeriesStarted(EventContract):
    """The first version of a dataset name was registered: the name's series of versions began."""

    WIRE_NAME = "dataset.series.started"
    dataset_series_id: UUID
    name: Name
    first_version: Name


class DatasetSeriesVersionAdded(EventContract):
    """A later version of a dataset name was registered, citing the one before it."""

    WIRE_NAME = "dataset.series.version_added"
    dataset_series_id: UUID
    version: Name
    previous_version: Name


EVENTS: tuple[type[EventContract], ...] = (
    DatasetSeriesStarted,
    DatasetSeriesVersionAdded,
    DatasetVersionRegistered,
    DatasetVersionPiiScanRecorded,
    DatasetVersionQualityScored,
    DatasetVersionChangeLogAmended,
    DatasetVersionApproved,
)
# Internal: kept in the event store for the service's own rules, never published.
INTERNAL: tuple[type[EventContract], ...] = (
    DatasetSeriesStarted,
    DatasetSeriesVersionAdded,
)
# What other services may consume from `llmops.dataset.events`.
PUBLISHED: tuple[type[EventContract], ...] = tuple(e for e in EVENTS if e not in INTERNAL)
COMMANDS: tuple[type[CommandContract], ...] = (
    RegisterDatasetVersion,
    RecordPiiScan,
    RecordQualityScore,
    AmendChangeLog,
    ApproveDatasetVersion,
)
