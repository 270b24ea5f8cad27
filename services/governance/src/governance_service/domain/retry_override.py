"""RetryOverride: an approved exception letting one training job retry more than 3 times."""

from __future__ import annotations

from typing import ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from llmops_domain.errors import DuplicateVersion, ValidationFailed
from llmops_events import governance as contracts

NAMESPACE = uuid5(NAMESPACE_URL, "urn:llmops:governance:retry_override")
DEFAULT_MAX_RETRIES = 3
MAX_REASON_CHARS = 2000


class RetryOverride(Aggregate):
    """One per training job: the ceiling of automatic retries the training service accepts."""

    class Approved(Aggregate.Created):
        wire_name: ClassVar[str] = contracts.RetryOverrideApproved.WIRE_NAME
        override_id: str
        training_job_id: str
        max_retries: int
        approved_by: str
        reason: str

    @staticmethod
    def create_id(training_job_id: UUID) -> UUID:
        """One override per job: a second approval is refused, not silently raised."""
        return uuid5(NAMESPACE, str(training_job_id))

    def __init__(
        self,
        override_id: str,
        training_job_id: str,
        max_retries: int,
        approved_by: str,
        reason: str,
    ) -> None:
        self.training_job_id = training_job_id
        self.max_retries = max_retries
        self.approved_by = approved_by
        self.reason = reason

    @classmethod
    def approve(
        cls, *, training_job_id: UUID, max_retries: int, actor: str, reason: str
    ) -> RetryOverride:
        """Approve more than the default 3 retries (at most 10) for a job, with a reason."""
        problems: dict[str, str] = {}
        if not DEFAULT_MAX_RETRIES < max_retries <= contracts.MAX_RETRY_OVERRIDE:
            problems["max_retries"] = (
                f"an override allows {DEFAULT_MAX_RETRIES + 1}-{contracts.MAX_RETRY_OVERRIDE}"
                f" retries ({DEFAULT_MAX_RETRIES} need none)"
            )
        if not reason.strip() or len(reason) > MAX_REASON_CHARS:
            problems["reason"] = f"required: why this job may retry more (<= {MAX_REASON_CHARS})"
        if not actor.strip():
            problems["actor"] = "required"
        if problems:
            raise ValidationFailed(problems)
        override_id = cls.create_id(training_job_id)
        return cls._create(
            cls.Approved, id=override_id, override_id=str(override_id),
            training_job_id=str(training_job_id), max_retries=max_retries, approved_by=actor,
            reason=reason,
        )  # fmt: skip


def already_approved(training_job_id: UUID, existing: RetryOverride) -> DuplicateVersion:
    """The refusal of a second override for the same job."""
    return DuplicateVersion(
        f"training job {training_job_id} already has an override of {existing.max_retries} retries"
    )
