"""The dataset service's pure domain: dataset versions (DatasetRecord)."""

from dataset_service.domain.dataset_series import DatasetSeries
from dataset_service.domain.dataset_version import PII_SCAN_STATUSES, DatasetVersion
from dataset_service.domain.errors import (
    DomainError,
    DuplicateVersion,
    ImmutableSnapshot,
    NotFound,
    PiiScanNotClean,
    ValidationFailed,
)

# The spec's name for a dataset version.
DatasetRecord = DatasetVersion

AGGREGATES = (DatasetVersion, DatasetSeries)

# Every concrete event class, for the event store's wire-name mapping.
EVENT_CLASSES: tuple[type, ...] = (
    DatasetSeries.Started,
    DatasetSeries.VersionAdded,
    DatasetVersion.Registered,
    DatasetVersion.PiiScanRecorded,
    DatasetVersion.QualityScored,
    DatasetVersion.ChangeLogAmended,
    DatasetVersion.Approved,
)

__all__ = [
    "AGGREGATES",
    "EVENT_CLASSES",
    "PII_SCAN_STATUSES",
    "DatasetRecord",
    "DatasetSeries",
    "DatasetVersion",
    "DomainError",
    "DuplicateVersion",
    "ImmutableSnapshot",
    "NotFound",
    "PiiScanNotClean",
    "ValidationFailed",
]
