"""Projections of other services' events the catalog's rules depend on."""

from __future__ import annotations

import json

from llmops_events import dataset as dataset_contracts
from llmops_events.evaluation import EvaluationRunCompletedV1
from llmops_events.training import TrainingJobSucceeded
from llmops_runtime.projections.projector import Projector
from llmops_runtime.projections.rows import Rows
from llmops_runtime.relay.envelope import EventEnvelope

# Every dataset version seen (lineage rule) and when it was approved.
datasets = Projector()
# Every training job the training service reports succeeded (lineage of fine-tuned versions).
training_jobs = Projector()
# Every completed or failed evaluation run (approval gate, evaluation_summary).
evaluations = Projector()


@datasets.on(dataset_contracts.DatasetVersionRegistered)
async def dataset_registered(
    rows: Rows, e: dataset_contracts.DatasetVersionRegistered, env: EventEnvelope
) -> None:
    """A dataset version exists."""
    row = {"dataset_version_id": e.dataset_version_id, "name": e.name, "version": e.version}
    await rows.insert("known_dataset_versions", row, on_conflict=("dataset_version_id",))


@datasets.on(dataset_contracts.DatasetVersionApproved)
async def dataset_approved(
    rows: Rows, e: dataset_contracts.DatasetVersionApproved, env: EventEnvelope
) -> None:
    """A dataset version was approved (inserted if its registration was never seen)."""
    row = {"dataset_version_id": e.dataset_version_id, "name": e.name, "version": e.version}
    row |= {"approved_at": e.approved_at}
    await rows.upsert("known_dataset_versions", row, key=("dataset_version_id",))


@training_jobs.on(TrainingJobSucceeded)
async def training_job_succeeded(rows: Rows, e: TrainingJobSucceeded, env: EventEnvelope) -> None:
    """A succeeded job, and the artifact it produced."""
    row = e.model_dump(include={"training_job_id", "model_entry_id", "output_artifact_uri"})
    await rows.insert(
        "succeeded_training_jobs", row | {"completed_at": e.completed_at},
        on_conflict=("training_job_id",),
    )  # fmt: skip


# Read as v1 (fields both versions carry): v1 and v2 (`started_at`, `snapshot_digest`) apply.
@evaluations.on(EvaluationRunCompletedV1)
async def run_completed(rows: Rows, e: EvaluationRunCompletedV1, env: EventEnvelope) -> None:
    """One evaluation run, kept once."""
    row = {
        "run_id": e.run_id, "model_version_id": e.model_entry_id, "type": e.type,
        "status": e.status, "metrics": json.dumps(e.model_dump(mode="json")["metrics"]),
        "completed_at": e.completed_at, "run_by": e.run_by,
    }  # fmt: skip
    await rows.insert("evaluation_runs", row, on_conflict=("run_id",))
