"""The dataset service's pure domain: dataset versions (DatasetRecord)."""

from dataset_service.domain.dataset_series import DatasetSeries
from dataset_service.domain.dataset_version import PII_SCAN_STATUSES, DatasetVersion
from dataset_service.domain.errors import ImmutableSnapshot, PiiScanNotClean

# The spec's name for a dataset version.
DatasetRecord = DatasetVersion

AGGREGATES = (DatasetVersion, DatasetSeries)

__all__ = [
    "AGGREGATES",
    "PII_SCAN_STATUSES",
    "DatasetRecord",
    "DatasetSeries",
    "DatasetVersion",
    "ImmutableSnapshot",
    "PiiScanNotClean",
]
