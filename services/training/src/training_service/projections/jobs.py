"""Projection of the training service's own events: jobs, and metric points in bulk."""

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


@projector.on(contracts.TrainingMetricsRecorded)
async def metrics_recorded(
    rows: Rows, e: contracts.TrainingMetricsRecorded, env: EventEnvelope
) -> None:
    """Every point of the batch in one set-based insert (unnest of column arrays)."""
    points = e.points
    await rows.conn.execute(
        f"INSERT INTO {rows.schema}.training_metrics (training_job_id, name, step, attempt,"
        " metric_batch_id, seq, value, unit, recorded_at)"
        " SELECT $1, n, s, $2, $3, q, v, u, coalesce(t, $4) FROM unnest("
        "$5::text[], $6::bigint[], $7::int[], $8::float8[], $9::text[], $10::timestamptz[])"
        " AS p(n, s, q, v, u, t) ON CONFLICT DO NOTHING",
        e.training_job_id, e.attempt, e.metric_batch_id, env.committed_at,
        [p.name for p in points], [p.step for p in points], list(range(len(points))),
        [p.value for p in points], [p.unit for p in points], [p.timestamp for p in points],
    )  # fmt: skip
