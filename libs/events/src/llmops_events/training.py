"""Contracts of the training service: training jobs (TrainingJob) and their ExperimentMetrics."""

from typing import Annotated, Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, JsonValue

from llmops_events.base import CommandContract, EventContract, Name, Text, Uri

JobType = Literal["finetune", "dist_train"]
SchedulerId = Literal["local", "kubernetes"]
AttemptOutcome = Literal["started", "succeeded", "failed"]
# Bounds of a job's command and of one metric batch (a record_metrics command or event).
MAX_COMMAND_ARGS = 64
MAX_METRIC_POINTS = 5_000
MAX_DATASETS = 100
Arg = Annotated[str, Field(min_length=1, max_length=4_000)]


class ResourceProfile(BaseModel):
    """What one attempt of the job needs: GPUs (count and type), memory and CPUs."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    gpu_count: int = Field(default=0, ge=0, le=64)
    gpu_type: Name = "nvidia.com/gpu"
    memory_gb: float = Field(default=4, gt=0, le=4_096)
    cpu: float = Field(default=1, gt=0, le=512)


class MetricPoint(BaseModel):
    """One ExperimentMetric value: a named series' value at a step (and when it was taken)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: Name
    step: int = Field(ge=0)
    value: float = Field(allow_inf_nan=False)
    unit: Name | None = None
    timestamp: AwareDatetime | None = None


# --- events -------------------------------------------------------------------------------


class TrainingJobSubmitted(EventContract):
    """A job on a catalog-approved model and approved dataset versions was queued."""

    WIRE_NAME = "training.job.submitted"
    training_job_id: UUID
    model_entry_id: UUID
    dataset_ids: list[UUID]
    job_type: JobType
    hyperparameters: dict[str, JsonValue]
    resource_profile: ResourceProfile
    command: list[Arg]
    scheduler_id: SchedulerId
    owner_team: Name
    submitted_by: Name
    submitted_at: AwareDatetime


class TrainingAttemptStarted(EventContract):
    """The scheduler started attempt `attempt` (1 is the first run, 2 the first retry...)."""

    WIRE_NAME = "training.job.attempt_started"
    training_job_id: UUID
    attempt: int
    scheduler_id: SchedulerId
    runner: Name
    started_at: AwareDatetime


class TrainingAttemptFailed(EventContract):
    """An attempt ended without success; `will_retry` says whether the policy queues another."""

    WIRE_NAME = "training.job.attempt_failed"
    training_job_id: UUID
    attempt: int
    exit_code: int | None
    reason: Text
    retry_limit: int
    will_retry: bool
    failed_at: AwareDatetime


class TrainingJobSucceeded(EventContract):
    """The job finished: its output artifact and the GPU hours it used (for cost)."""

    WIRE_NAME = "training.job.succeeded"
    training_job_id: UUID
    model_entry_id: UUID
    dataset_ids: list[UUID]
    owner_team: Name
    output_artifact_uri: Uri
    attempts: int
    gpu_count: int
    gpu_hours: float
    started_at: AwareDatetime
    completed_at: AwareDatetime


class TrainingJobFailed(EventContract):
    """The job failed for good: its last attempt failed and no retry is left."""

    WIRE_NAME = "training.job.failed"
    training_job_id: UUID
    owner_team: Name
    reason: Text
    attempts: int
    gpu_count: int
    gpu_hours: float
    completed_at: AwareDatetime


class TrainingJobCancelled(EventContract):
    """The job was cancelled (a running attempt is killed by its scheduler)."""

    WIRE_NAME = "training.job.cancelled"
    training_job_id: UUID
    owner_team: Name
    cancelled_by: Name
    reason: Text
    attempts: int
    gpu_count: int
    gpu_hours: float
    completed_at: AwareDatetime


class TrainingMetricsRecorded(EventContract):
    """A batch of metric points of one attempt (internal: projected into training_metrics).

    Stored by column (point i is names[i], steps[i], values[i]): a third of the JSON of one
    object a point, and so of the encoding, hashing and reading work per point. `units` and
    `timestamps` are null when no point of the batch has one.
    """

    WIRE_NAME = "training.metrics.recorded"
    metric_batch_id: UUID
    training_job_id: UUID
    attempt: int
    names: list[Name] = Field(max_length=MAX_METRIC_POINTS)
    steps: list[int] = Field(max_length=MAX_METRIC_POINTS)
    values: list[float] = Field(max_length=MAX_METRIC_POINTS)
    units: list[Name | None] | None = Field(default=None, max_length=MAX_METRIC_POINTS)
    timestamps: list[AwareDatetime | None] | None = Field(
        default=None, max_length=MAX_METRIC_POINTS
    )
    recorded_by: Name


# --- commands -----------------------------------------------------------------------------


class SubmitTrainingJob(CommandContract):
    """Queue a job; its model and datasets must be approved in the catalog and dataset services."""

    WIRE_NAME = "training.submit_job"
    model_entry_id: UUID
    dataset_ids: list[UUID] = Field(min_length=1, max_length=MAX_DATASETS)
    job_type: JobType = "finetune"
    hyperparameters: dict[str, JsonValue] = Field(default_factory=dict)
    resource_profile: ResourceProfile = Field(default_factory=ResourceProfile)
    command: list[Arg] = Field(
        min_length=1, max_length=MAX_COMMAND_ARGS, description="argv of the training entrypoint"
    )
    scheduler_id: SchedulerId = "local"
    owner_team: Name


class CancelTrainingJob(CommandContract):
    """Cancel a job that has not finished; its running attempt is killed."""

    WIRE_NAME = "training.cancel_job"
    training_job_id: UUID
    reason: Text


class RecordTrainingMetrics(CommandContract):
    """Record a batch of metric points of the job's current attempt."""

    WIRE_NAME = "training.record_metrics"
    training_job_id: UUID
    attempt: int = Field(ge=1)
    points: list[MetricPoint] = Field(min_length=1, max_length=MAX_METRIC_POINTS)


class ReportTrainingAttempt(CommandContract):
    """A scheduler reports an attempt's start or end (the local one does it in-process)."""

    WIRE_NAME = "training.report_attempt"
    training_job_id: UUID
    attempt: int = Field(ge=1)
    outcome: AttemptOutcome
    runner: Name = "external"
    exit_code: int | None = None
    reason: Text = ""
    output_artifact_uri: Uri | None = None


EVENTS: tuple[type[EventContract], ...] = (
    TrainingJobSubmitted,
    TrainingAttemptStarted,
    TrainingAttemptFailed,
    TrainingJobSucceeded,
    TrainingJobFailed,
    TrainingJobCancelled,
    TrainingMetricsRecorded,
)
PUBLISHED: tuple[type[EventContract], ...] = EVENTS[:-1]
COMMANDS: tuple[type[CommandContract], ...] = (
    SubmitTrainingJob,
    CancelTrainingJob,
    RecordTrainingMetrics,
    ReportTrainingAttempt,
)
