"""The rule that a run's benchmark is an approved, immutable dataset snapshot."""

from __future__ import annotations

from dataclasses import dataclass

from evaluation_service.domain.errors import DatasetNotApproved, UnknownDatasetVersion


@dataclass(frozen=True)
class BenchmarkSnapshot:
    """What the service learned of a dataset version from the dataset service's events."""

    dataset_version_id: str
    storage_uri: str
    approved: bool


def require_approved_snapshot(dataset_version_id: str, found: BenchmarkSnapshot | None) -> str:
    """The snapshot's storage URI; refused unless the dataset version is known and approved."""
    if found is None:
        raise UnknownDatasetVersion(
            f"no dataset version {dataset_version_id} is known to the evaluation service",
            field_errors={"dataset_version_id": "unknown dataset version"},
        )
    if not found.approved:
        raise DatasetNotApproved(
            f"dataset version {dataset_version_id} is not approved: only an approved"
            " (immutable) snapshot may be a benchmark",
            field_errors={"dataset_version_id": "not an approved snapshot"},
        )
    return found.storage_uri
