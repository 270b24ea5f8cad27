"""What the training and serving services report, priced into profiles and budgets.

The training projection keeps each submitted job's team, model and GPU type (its end events
carry the GPU hours but not all of that), then prices the end. Both run the pricing in the
projection's transaction, so the consumed offset and the appended events commit together.
"""

from __future__ import annotations

from cost_service.projections.usage import Usage, record_usage
from llmops_events import serving as serving_contracts
from llmops_events import training as training_contracts
from llmops_runtime.eventstore.records import EventMetadata
from llmops_runtime.projections.projector import Projector
from llmops_runtime.projections.rows import Rows
from llmops_runtime.relay.envelope import EventEnvelope

PRICING_ACTOR = "system:cost"
training_usage = Projector()
serving_usage = Projector()
_Ended = (
    training_contracts.TrainingJobSucceeded
    | training_contracts.TrainingJobFailed
    | training_contracts.TrainingJobCancelled
)


def _metadata(env: EventEnvelope) -> EventMetadata:
    return EventMetadata(
        actor=PRICING_ACTOR, causation_id=str(env.event_id),
        correlation_id=str(env.metadata.get("correlation_id") or env.event_id),
    )  # fmt: skip


@training_usage.on(training_contracts.TrainingJobSubmitted)
async def job_submitted(
    rows: Rows, e: training_contracts.TrainingJobSubmitted, env: EventEnvelope
) -> None:
    """Remember the job's team, model and GPU type for pricing its end."""
    row = {
        "training_job_id": e.training_job_id, "model_entry_id": e.model_entry_id,
        "owner_team": e.owner_team, "gpu_type": e.resource_profile.gpu_type,
    }  # fmt: skip
    await rows.insert("training_jobs_seen", row, on_conflict=("training_job_id",))


async def _job_ended(rows: Rows, e: _Ended, env: EventEnvelope) -> None:
    job = await rows.conn.fetchrow(
        f"SELECT model_entry_id, gpu_type FROM {rows.schema}.training_jobs_seen"
        " WHERE training_job_id = $1",
        e.training_job_id,
    )
    model = getattr(e, "model_entry_id", None) or (job["model_entry_id"] if job else None)
    usage = Usage(
        env.event_id, "training", e.training_job_id, e.owner_team, model, e.completed_at,
        gpu_hours=e.gpu_hours, gpu_type=job["gpu_type"] if job else None,
    )  # fmt: skip
    await record_usage(rows.conn, rows.schema, usage, _metadata(env))


@training_usage.on(training_contracts.TrainingJobSucceeded)
async def job_succeeded(
    rows: Rows, e: training_contracts.TrainingJobSucceeded, env: EventEnvelope
) -> None:
    """The GPU hours of a succeeded job."""
    await _job_ended(rows, e, env)


@training_usage.on(training_contracts.TrainingJobFailed)
async def job_failed(
    rows: Rows, e: training_contracts.TrainingJobFailed, env: EventEnvelope
) -> None:
    """The GPU hours a failed job used all the same."""
    await _job_ended(rows, e, env)


@training_usage.on(training_contracts.TrainingJobCancelled)
async def job_cancelled(
    rows: Rows, e: training_contracts.TrainingJobCancelled, env: EventEnvelope
) -> None:
    """The GPU hours a cancelled job used until it was stopped."""
    await _job_ended(rows, e, env)


@serving_usage.on(serving_contracts.ServingUsageRecorded)
async def usage_recorded(
    rows: Rows, e: serving_contracts.ServingUsageRecorded, env: EventEnvelope
) -> None:
    """An endpoint's tokens and replica hours in one bucket, charged at its start."""
    usage = Usage(
        env.event_id, "serving", e.serving_endpoint_id, e.owner_team, e.model_entry_id,
        e.window_start, tokens_in=e.tokens_in, tokens_out=e.tokens_out,
        replica_hours=e.replica_hours,
    )  # fmt: skip
    await record_usage(rows.conn, rows.schema, usage, _metadata(env))
