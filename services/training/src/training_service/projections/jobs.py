"""Projection of the training service's own job events into training_jobs."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from uuid import UUID

from llmops_events import training as contracts
from llmops_runtime.projections.projector import Projector
from llmops_runtime.projections.rows import Rows
from llmops_runtime.relay.envelope import EventEnvelope

projector = Projector()
JOBS = "training_jobs"
_JSON = ("dataset_ids", "hyperparameters", "resource_profile", "command")


async def _set(rows: Rows, job_id: UUID, at: datetime, **values: Any) -> None:
    await rows.update(JOBS, {"training_job_id": job_id}, values | {"updated_at": at})


@projector.on(contracts.TrainingJobSubmitted)
async def submitted(rows: Rows, e: contracts.TrainingJobSubmitted, env: EventEnvelope) -> None:
    """A queued job."""
    row = e.model_dump(mode="json")
    row = {k: json.dumps(v) if k in _JSON else v for k, v in row.items()}
    row |= {"training_job_id": e.training_job_id, "model_entry_id": e.model_entry_id}
    row |= {"submitted_at": e.submitted_at, "status": "queued", "attempt": 0, "retries": 0}
    await rows.insert(
        JOBS, row | {"updated_at": env.committed_at}, on_conflict=("training_job_id",)
    )


@projector.on(contracts.TrainingAttemptStarted)
async def attempt_started(
    rows: Rows, e: contracts.TrainingAttemptStarted, env: EventEnvelope
) -> None:
    """Running its attempt; the first start is the job's start."""
    await rows.conn.execute(
        f"UPDATE {rows.schema}.{JOBS} SET status = 'running', attempt = $2, retries = $2 - 1,"
        " runner = $3, started_at = coalesce(started_at, $4), updated_at = $5"
        " WHERE training_job_id = $1",
        e.training_job_id, e.attempt, e.runner, e.started_at, env.committed_at,
    )  # fmt: skip


@projector.on(contracts.TrainingAttemptFailed)
async def attempt_failed(
    rows: Rows, e: contracts.TrainingAttemptFailed, env: EventEnvelope
) -> None:
    """Queued again for a retry, or left for the job's failure that follows."""
    status = "queued" if e.will_retry else "running"
    await _set(rows, e.training_job_id, env.committed_at, status=status, last_failure=e.reason)


@projector.on(contracts.TrainingJobSucceeded)
async def succeeded(rows: Rows, e: contracts.TrainingJobSucceeded, env: EventEnvelope) -> None:
    """Succeeded with its artifact."""
    await _set(
        rows, e.training_job_id, env.committed_at, status="succeeded",
        output_artifact_uri=e.output_artifact_uri, gpu_hours=e.gpu_hours,
        completed_at=e.completed_at,
    )  # fmt: skip


@projector.on(contracts.TrainingJobFailed)
async def failed(rows: Rows, e: contracts.TrainingJobFailed, env: EventEnvelope) -> None:
    """Failed for good."""
    await _set(
        rows, e.training_job_id, env.committed_at, status="failed", last_failure=e.reason,
        gpu_hours=e.gpu_hours, completed_at=e.completed_at,
    )  # fmt: skip


@projector.on(contracts.TrainingJobCancelled)
async def cancelled(rows: Rows, e: contracts.TrainingJobCancelled, env: EventEnvelope) -> None:
    """Cancelled."""
    await _set(
        rows, e.training_job_id, env.committed_at, status="cancelled", gpu_hours=e.gpu_hours,
        completed_at=e.completed_at,
    )  # fmt: skip
