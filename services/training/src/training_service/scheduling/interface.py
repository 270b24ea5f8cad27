"""What every scheduler adapter offers: launch an attempt of a job, cancel it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol
from uuid import UUID

from training_service.domain import TrainingJob


@dataclass(frozen=True)
class JobSpec:
    """One attempt of a job as a scheduler runs it."""

    training_job_id: UUID
    attempt: int
    command: tuple[str, ...]
    resource_profile: dict[str, Any]
    hyperparameters: dict[str, Any]
    job_type: str

    @classmethod
    def of(cls, job: TrainingJob) -> JobSpec:
        """The job's current attempt."""
        return cls(
            job.id, job.attempt, tuple(job.command), dict(job.resource_profile),
            dict(job.hyperparameters), job.job_type,
        )  # fmt: skip


class SchedulerAdapter(Protocol):
    """A place attempts run; it reports their start, metrics and end back to the job."""

    scheduler_id: str

    async def launch(self, spec: JobSpec) -> None:
        """Start the attempt (returns once it is started, not once it ends)."""
        ...

    async def cancel(self, training_job_id: UUID) -> None:
        """Stop the job's running attempt, if any."""
        ...
