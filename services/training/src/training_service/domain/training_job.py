"""TrainingJob: a fine-tuning or distributed job, its attempts under the retry policy."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any, ClassVar, Literal
from uuid import UUID

from eventsourcing.domain import Aggregate

from llmops_domain.errors import InvalidTransition, ValidationFailed
from llmops_events import training as contracts
from training_service.domain.errors import JobFinished, StaleAttempt
from training_service.domain.retry_policy import may_retry
from training_service.domain.submission import check_datasets, check_model, check_shape

Status = Literal["queued", "running", "succeeded", "failed", "cancelled"]
TERMINAL = ("succeeded", "failed", "cancelled")


def _hours(seconds: float) -> float:
    return round(seconds / 3600, 6)


class TrainingJob(Aggregate):
    """A job: queued, run attempt by attempt by its scheduler, then succeeded/failed/cancelled."""

    class Submitted(Aggregate.Created):
        wire_name: ClassVar[str] = contracts.TrainingJobSubmitted.WIRE_NAME
        class_version: ClassVar[int] = contracts.TrainingJobSubmitted.SCHEMA_VERSION
        training_job_id: str
        model_entry_id: str
        dataset_ids: list[str]
        job_type: str
        hyperparameters: dict[str, Any]
        resource_profile: dict[str, Any]
        command: list[str]
        scheduler_id: str
        owner_team: str
        submitted_by: str
        submitted_at: str

    class AttemptStarted(Aggregate.Event):
        wire_name: ClassVar[str] = contracts.TrainingAttemptStarted.WIRE_NAME
        class_version: ClassVar[int] = contracts.TrainingAttemptStarted.SCHEMA_VERSION
        training_job_id: str
        attempt: int
        scheduler_id: str
        runner: str
        started_at: str

        def apply(self, job: TrainingJob) -> None:
            job.status = "running"
            job.attempt = self.attempt
            job.runner = self.runner
            job.attempt_started_at = datetime.fromisoformat(self.started_at)
            job.started_at = job.started_at or job.attempt_started_at

    class AttemptFailed(Aggregate.Event):
        wire_name: ClassVar[str] = contracts.TrainingAttemptFailed.WIRE_NAME
        class_version: ClassVar[int] = contracts.TrainingAttemptFailed.SCHEMA_VERSION
        training_job_id: str
        attempt: int
        exit_code: int | None
        reason: str
        retry_limit: int
        will_retry: bool
        failed_at: str

        def apply(self, job: TrainingJob) -> None:
            job._end_attempt(datetime.fromisoformat(self.failed_at))
            job.last_failure = self.reason
            job.status = "queued" if self.will_retry else "running"

    class Succeeded(Aggregate.Event):
        wire_name: ClassVar[str] = contracts.TrainingJobSucceeded.WIRE_NAME
        class_version: ClassVar[int] = contracts.TrainingJobSucceeded.SCHEMA_VERSION
        training_job_id: str
        model_entry_id: str
        dataset_ids: list[str]
        owner_team: str
        output_artifact_uri: str
        attempts: int
        gpu_count: int
        gpu_hours: float
        started_at: str
        completed_at: str

        def apply(self, job: TrainingJob) -> None:
            job._end_attempt(datetime.fromisoformat(self.completed_at))
            job.status = "succeeded"
            job.output_artifact_uri = self.output_artifact_uri
            job.completed_at = datetime.fromisoformat(self.completed_at)

    class Failed(Aggregate.Event):
        wire_name: ClassVar[str] = contracts.TrainingJobFailed.WIRE_NAME
        class_version: ClassVar[int] = contracts.TrainingJobFailed.SCHEMA_VERSION
        training_job_id: str
        owner_team: str
        reason: str
        attempts: int
        gpu_count: int
        gpu_hours: float
        completed_at: str

        def apply(self, job: TrainingJob) -> None:
            job.status = "failed"
            job.completed_at = datetime.fromisoformat(self.completed_at)

    class Cancelled(Aggregate.Event):
        wire_name: ClassVar[str] = contracts.TrainingJobCancelled.WIRE_NAME
        class_version: ClassVar[int] = contracts.TrainingJobCancelled.SCHEMA_VERSION
        training_job_id: str
        owner_team: str
        cancelled_by: str
        reason: str
        attempts: int
        gpu_count: int
        gpu_hours: float
        completed_at: str

        def apply(self, job: TrainingJob) -> None:
            job._end_attempt(datetime.fromisoformat(self.completed_at))
            job.status = "cancelled"
            job.completed_at = datetime.fromisoformat(self.completed_at)

    def __init__(
        self,
        training_job_id: str,
        model_entry_id: str,
        dataset_ids: list[str],
        job_type: str,
        hyperparameters: dict[str, Any],
        resource_profile: dict[str, Any],
        command: list[str],
        scheduler_id: str,
        owner_team: str,
        submitted_by: str,
        submitted_at: str,
    ) -> None:
        self.model_entry_id = model_entry_id
        self.dataset_ids = list(dataset_ids)
        self.job_type = job_type
        self.hyperparameters = dict(hyperparameters)
        self.resource_profile = dict(resource_profile)
        self.command = list(command)
        self.scheduler_id = scheduler_id
        self.owner_team = owner_team
        self.submitted_by = submitted_by
        self.submitted_at = datetime.fromisoformat(submitted_at)
        self.status: str = "queued"
        self.attempt = 0
        self.runner: str | None = None
        self.attempt_started_at: datetime | None = None
        self.started_at: datetime | None = None
        self.completed_at: datetime | None = None
        self.gpu_seconds = 0.0
        self.last_failure: str | None = None
        self.output_artifact_uri: str | None = None

    # --- rules ---------------------------------------------------------------------------

    @classmethod
    def submit(
        cls,
        *,
        training_job_id: UUID,
        model_entry_id: UUID,
        dataset_ids: Sequence[UUID],
        job_type: str,
        hyperparameters: dict[str, Any],
        resource_profile: dict[str, Any],
        command: Sequence[str],
        scheduler_id: str,
        owner_team: str,
        model_status: str | None,
        approved_dataset_ids: Collection[str],
        actor: str,
        now: datetime,
    ) -> TrainingJob:
        """A queued job; refused unless its model and every dataset version are approved."""
        check_shape(command, job_type, int(resource_profile.get("gpu_count", 0)), owner_team)
        check_model(str(model_entry_id), model_status)
        check_datasets([str(d) for d in dataset_ids], approved_dataset_ids)
        return cls._create(
            cls.Submitted, id=training_job_id, training_job_id=str(training_job_id),
            model_entry_id=str(model_entry_id), dataset_ids=[str(d) for d in dataset_ids],
            job_type=job_type, hyperparameters=hyperparameters, resource_profile=resource_profile,
            command=list(command), scheduler_id=scheduler_id, owner_team=owner_team,
            submitted_by=actor, submitted_at=now.isoformat(),
        )  # fmt: skip

    @property
    def gpu_count(self) -> int:
        """GPUs each attempt holds."""
        return int(self.resource_profile.get("gpu_count", 0))

    @property
    def finished(self) -> bool:
        """Succeeded, failed or cancelled."""
        return self.status in TERMINAL

    def _end_attempt(self, at: datetime) -> None:
        if self.attempt_started_at is not None:
            self.gpu_seconds += max(0.0, (at - self.attempt_started_at).total_seconds())
        self.attempt_started_at = None

    def _gpu_hours_at(self, at: datetime) -> float:
        running = self.attempt_started_at
        extra = (at - running).total_seconds() if running is not None else 0.0
        return _hours(self.gpu_count * (self.gpu_seconds + max(0.0, extra)))

    def _require_status(self, action: str, *allowed: str) -> None:
        if self.finished:
            raise JobFinished(f"cannot {action}: the job is {self.status}")
        if self.status not in allowed:
            raise InvalidTransition(action, self.status, allowed, subject="training job")

    def _require_attempt(self, attempt: int) -> None:
        if attempt != self.attempt:
            raise StaleAttempt(f"attempt {attempt} is not the current attempt {self.attempt}")

    def start_attempt(self, *, runner: str, now: datetime) -> int:
        """The scheduler starts the next attempt of a queued job; returns its number."""
        self._require_status("start an attempt of", "queued")
        self.trigger_event(
            self.AttemptStarted, training_job_id=str(self.id), attempt=self.attempt + 1,
            scheduler_id=self.scheduler_id, runner=runner, started_at=now.isoformat(),
        )  # fmt: skip
        return self.attempt

    def fail_attempt(
        self, *, attempt: int, exit_code: int | None, reason: str, retry_limit: int, now: datetime
    ) -> bool:
        """Record a failed attempt; queue a retry if the policy allows one (returns whether)."""
        self._require_status("fail an attempt of", "running")
        self._require_attempt(attempt)
        again = may_retry(attempt, retry_limit)
        self.trigger_event(
            self.AttemptFailed, training_job_id=str(self.id), attempt=attempt,
            exit_code=exit_code, reason=reason, retry_limit=retry_limit, will_retry=again,
            failed_at=now.isoformat(),
        )  # fmt: skip
        if not again:
            why = f"attempt {attempt} failed and {retry_limit} retries are used up: {reason}"
            self.trigger_event(
                self.Failed, training_job_id=str(self.id), owner_team=self.owner_team,
                reason=why, attempts=attempt, gpu_count=self.gpu_count,
                gpu_hours=self._gpu_hours_at(now), completed_at=now.isoformat(),
            )  # fmt: skip
        return again

    def succeed(self, *, attempt: int, output_artifact_uri: str, now: datetime) -> None:
        """The running attempt succeeded with its output artifact."""
        self._require_status("complete", "running")
        self._require_attempt(attempt)
        if "://" not in output_artifact_uri:
            raise ValidationFailed({"output_artifact_uri": "must be a URI such as s3://..."})
        assert self.started_at is not None
        self.trigger_event(
            self.Succeeded, training_job_id=str(self.id), model_entry_id=self.model_entry_id,
            dataset_ids=self.dataset_ids, owner_team=self.owner_team,
            output_artifact_uri=output_artifact_uri, attempts=attempt, gpu_count=self.gpu_count,
            gpu_hours=self._gpu_hours_at(now), started_at=self.started_at.isoformat(),
            completed_at=now.isoformat(),
        )  # fmt: skip

    def cancel(self, *, actor: str, reason: str, now: datetime) -> None:
        """Cancel at any time before the job finished."""
        self._require_status("cancel", "queued", "running")
        self.trigger_event(
            self.Cancelled, training_job_id=str(self.id), owner_team=self.owner_team,
            cancelled_by=actor, reason=reason, attempts=self.attempt, gpu_count=self.gpu_count,
            gpu_hours=self._gpu_hours_at(now), completed_at=now.isoformat(),
        )  # fmt: skip

    def check_metrics(self, attempt: int) -> None:
        """Metrics are taken for the current attempt of a job that has not finished."""
        if self.finished:
            raise JobFinished(f"cannot record metrics: the job is {self.status}")
        self._require_attempt(attempt)
