"""DatasetVersion: one version of a dataset (the spec's DatasetRecord), frozen once approved."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from typing import ClassVar, Literal, get_args
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from dataset_service.domain.errors import ImmutableSnapshot, PiiScanNotClean
from dataset_service.domain.registration import validate_registration
from llmops_domain.errors import PolicyReviewOverdue, SeparationOfDuties, ValidationFailed
from llmops_events import dataset as contracts

NAMESPACE = uuid5(NAMESPACE_URL, "urn:llmops:dataset:dataset_version")

PiiScanStatus = Literal["pending", "clean", "failed"]
PII_SCAN_STATUSES: tuple[str, ...] = get_args(PiiScanStatus)


def _require_actor(actor: str) -> None:
    if not actor.strip():
        raise ValidationFailed({"actor": "required"})


class DatasetVersion(Aggregate):
    """A registered dataset version: scanned, scored, then approved as an immutable snapshot."""

    class Registered(Aggregate.Created):
        wire_name: ClassVar[str] = contracts.DatasetVersionRegistered.WIRE_NAME
        class_version: ClassVar[int] = contracts.DatasetVersionRegistered.SCHEMA_VERSION
        dataset_version_id: str
        name: str
        version: str
        storage_uri: str
        owner_team: str
        change_log: str
        previous_version: str | None
        previous_version_id: str | None
        diff_summary: str | None
        registered_by: str

    class PiiScanRecorded(Aggregate.Event):
        wire_name: ClassVar[str] = contracts.DatasetVersionPiiScanRecorded.WIRE_NAME
        class_version: ClassVar[int] = contracts.DatasetVersionPiiScanRecorded.SCHEMA_VERSION
        dataset_version_id: str
        pii_scan_status: str
        notes: str
        recorded_by: str

        def apply(self, aggregate: DatasetVersion) -> None:
            aggregate.pii_scan_status = self.pii_scan_status

    class QualityScored(Aggregate.Event):
        wire_name: ClassVar[str] = contracts.DatasetVersionQualityScored.WIRE_NAME
        class_version: ClassVar[int] = contracts.DatasetVersionQualityScored.SCHEMA_VERSION
        dataset_version_id: str
        quality_score: float
        recorded_by: str

        def apply(self, aggregate: DatasetVersion) -> None:
            aggregate.quality_score = self.quality_score

    class ChangeLogAmended(Aggregate.Event):
        wire_name: ClassVar[str] = contracts.DatasetVersionChangeLogAmended.WIRE_NAME
        class_version: ClassVar[int] = contracts.DatasetVersionChangeLogAmended.SCHEMA_VERSION
        dataset_version_id: str
        change_log: str
        amended_by: str

        def apply(self, aggregate: DatasetVersion) -> None:
            aggregate.change_log = self.change_log

    class Approved(Aggregate.Event):
        """Announces the version as an immutable snapshot with everything a consumer needs."""

        wire_name: ClassVar[str] = contracts.DatasetVersionApproved.WIRE_NAME
        class_version: ClassVar[int] = contracts.DatasetVersionApproved.SCHEMA_VERSION
        dataset_version_id: str
        immutable_snapshot: bool
        name: str
        version: str
        storage_uri: str
        owner_team: str
        change_log: str
        previous_version: str | None
        diff_summary: str | None
        pii_scan_status: str
        quality_score: float | None
        approved_by: str
        approved_at: str
        reason: str

        def apply(self, aggregate: DatasetVersion) -> None:
            aggregate.approved_at = datetime.fromisoformat(self.approved_at)
            aggregate.approved_by = self.approved_by

    def __init__(
        self,
        name: str,
        version: str,
        storage_uri: str,
        owner_team: str,
        change_log: str,
        previous_version: str | None,
        previous_version_id: str | None,
        diff_summary: str | None,
        registered_by: str,
    ) -> None:
        self.name = name
        # `version` is the library's event counter, so the dataset's version lives here.
        self.version_label = version
        self.storage_uri = storage_uri
        self.owner_team = owner_team
        self.change_log = change_log
        self.previous_version = previous_version
        self.previous_version_id = previous_version_id
        self.diff_summary = diff_summary
        self.registered_by = registered_by
        self.pii_scan_status = "pending"
        self.quality_score: float | None = None
        self.approved_at: datetime | None = None
        self.approved_by: str | None = None

    @classmethod
    def id_for(cls, name: str, version: str) -> UUID:
        """The deterministic id of (name, version): a duplicate collides at the store."""
        return uuid5(NAMESPACE, f"{name}|{version}")

    @classmethod
    def register(
        cls,
        *,
        name: str,
        version: str,
        storage_uri: str,
        owner_team: str,
        change_log: str,
        previous_version: str | None,
        diff_summary: str | None,
        latest_known_version: str | None,
        actor: str,
    ) -> DatasetVersion:
        """Register a version; after the first of a name it must cite the latest known one."""
        validate_registration(
            name=name,
            version=version,
            storage_uri=storage_uri,
            owner_team=owner_team,
            previous_version=previous_version,
            diff_summary=diff_summary,
            latest_known_version=latest_known_version,
        )
        _require_actor(actor)
        dataset_version_id = cls.id_for(name, version)
        previous_id = None if previous_version is None else cls.id_for(name, previous_version)
        return cls._create(
            cls.Registered,
            id=dataset_version_id,
            dataset_version_id=str(dataset_version_id),
            name=name,
            version=version,
            storage_uri=storage_uri,
            owner_team=owner_team,
            change_log=change_log,
            previous_version=previous_version,
            previous_version_id=None if previous_id is None else str(previous_id),
            diff_summary=diff_summary,
            registered_by=actor,
        )

    @property
    def approved(self) -> bool:
        """True once approved: the version is then an immutable snapshot."""
        return self.approved_at is not None

    def _require_mutable(self, action: str) -> None:
        if self.approved:
            raise ImmutableSnapshot(action)

    def record_pii_scan(self, *, status: str, actor: str, notes: str = "") -> None:
        """Record a PII scan result: pending, clean or failed."""
        self._require_mutable("record a PII scan")
        _require_actor(actor)
        if status not in PII_SCAN_STATUSES:
            raise ValidationFailed(
                {"pii_scan_status": f"must be one of {', '.join(PII_SCAN_STATUSES)}"}
            )
        self.trigger_event(
            self.PiiScanRecorded,
            dataset_version_id=str(self.id),
            pii_scan_status=status,
            notes=notes,
            recorded_by=actor,
        )

    def record_quality_score(self, *, score: float, actor: str) -> None:
        """Record a quality score between 0 and 100 inclusive."""
        self._require_mutable("record a quality score")
        _require_actor(actor)
        if isinstance(score, bool) or not isinstance(score, int | float):
            raise ValidationFailed({"quality_score": "must be a number"})
        if not math.isfinite(score) or not 0 <= score <= 100:
            raise ValidationFailed({"quality_score": "must be between 0 and 100"})
        self.trigger_event(
            self.QualityScored,
            dataset_version_id=str(self.id),
            quality_score=float(score),
            recorded_by=actor,
        )

    def amend_change_log(self, *, change_log: str, actor: str) -> None:
        """Replace the change log of a version not yet approved."""
        self._require_mutable("amend the change log")
        _require_actor(actor)
        self.trigger_event(
            self.ChangeLogAmended,
            dataset_version_id=str(self.id),
            change_log=change_log,
            amended_by=actor,
        )

    def approve(
        self,
        *,
        actor: str,
        reason: str,
        at: datetime | None = None,
        overdue_policies: Sequence[tuple[str, str]] = (),
    ) -> None:
        """Approve a version whose PII scan is clean, freezing it as an immutable snapshot.

        Separation of duties: whoever registered the version cannot approve it. While an
        active `dataset`-scope policy is overdue for review (name, due), approval waits.
        """
        self._require_mutable("approve")
        _require_actor(actor)
        if actor == self.registered_by:
            raise SeparationOfDuties(actor, "approve", "dataset version", ["registered"])
        if overdue_policies:
            raise PolicyReviewOverdue(*overdue_policies[0])
        if self.pii_scan_status != "clean":
            raise PiiScanNotClean(self.pii_scan_status)
        timestamp = at or self.Approved.create_timestamp()
        self.trigger_event(
            self.Approved,
            timestamp=timestamp,
            dataset_version_id=str(self.id),
            immutable_snapshot=True,
            name=self.name,
            version=self.version_label,
            storage_uri=self.storage_uri,
            owner_team=self.owner_team,
            change_log=self.change_log,
            previous_version=self.previous_version,
            diff_summary=self.diff_summary,
            pii_scan_status=self.pii_scan_status,
            quality_score=self.quality_score,
            approved_by=actor,
            approved_at=timestamp.isoformat(),
            reason=reason,
        )
