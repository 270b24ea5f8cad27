"""Projection of the evaluation service's own events into evaluation_runs and _items."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from uuid import UUID

from llmops_events import evaluation as contracts
from llmops_runtime.projections.projector import Projector
from llmops_runtime.projections.rows import Rows
from llmops_runtime.relay.envelope import EventEnvelope

projector = Projector()
RUNS, ITEMS = "evaluation_runs", "evaluation_items"
_QUEUED = {
    "run_id", "model_version_id", "dataset_version_id", "snapshot_uri", "prompt_template_id",
    "type", "predictions_uri", "notes", "run_by",
}  # fmt: skip


async def _set(rows: Rows, run_id: UUID, at: datetime, **values: Any) -> None:
    await rows.update(RUNS, {"run_id": run_id}, values | {"updated_at": at})


async def _item(
    rows: Rows, run_id: UUID, item_id: str, scorer: str, at: datetime, **more: Any
) -> None:
    scores = json.dumps(more.pop("scores"))
    row = {"run_id": run_id, "item_id": item_id, "scorer": scorer, "scores": scores}
    await rows.upsert(ITEMS, row | more | {"recorded_at": at}, key=("run_id", "item_id", "scorer"))


@projector.on(contracts.EvaluationRunQueued)
async def queued(rows: Rows, e: contracts.EvaluationRunQueued, env: EventEnvelope) -> None:
    """A new row, queued."""
    row = e.model_dump(include=_QUEUED) | {"status": "queued"}
    row |= {"created_at": env.committed_at, "updated_at": env.committed_at}
    await rows.insert(RUNS, row, on_conflict=("run_id",))


@projector.on(contracts.EvaluationRunStarted)
async def started(rows: Rows, e: contracts.EvaluationRunStarted, env: EventEnvelope) -> None:
    """Running since this claim (updated_at tells the worker how long)."""
    await _set(
        rows, e.run_id, env.committed_at, status="running", started_at=e.started_at,
        attempts=e.attempt,
    )  # fmt: skip


@projector.on(contracts.EvaluationHumanScoresSubmitted)
async def human_scores(
    rows: Rows, e: contracts.EvaluationHumanScoresSubmitted, env: EventEnvelope
) -> None:
    """One row per item and reviewer (a later score replaces the earlier)."""
    for s in e.scores:
        await _item(
            rows, e.run_id, s.item_id, e.reviewer, env.committed_at,
            scores={"score": s.score}, comment=s.comment,
        )  # fmt: skip


@projector.on(contracts.EvaluationJudgeResultsSubmitted)
async def judge_results(
    rows: Rows, e: contracts.EvaluationJudgeResultsSubmitted, env: EventEnvelope
) -> None:
    """One row per item for the judge model; the judge on the run."""
    await _set(
        rows, e.run_id, env.committed_at, judge_model=e.judge_model,
        judge_prompt_sha256=e.judge_prompt_sha256,
    )  # fmt: skip
    for s in e.scores:
        await _item(
            rows, e.run_id, s.item_id, e.judge_model, env.committed_at,
            scores={"score": s.score}, comment=s.comment,
        )  # fmt: skip


@projector.on(contracts.EvaluationRunScored)
async def scored(rows: Rows, e: contracts.EvaluationRunScored, env: EventEnvelope) -> None:
    """One row per item with its four metrics; the digests of the files read."""
    await _set(
        rows, e.run_id, env.committed_at, snapshot_digest=e.snapshot_digest,
        predictions_digest=e.predictions_digest,
    )  # fmt: skip
    for i in e.items:
        metrics = i.model_dump(exclude={"item_id"})
        await _item(rows, e.run_id, i.item_id, "metrics", env.committed_at, scores=metrics)


@projector.on(contracts.EvaluationRunCancelled)
async def cancelled(rows: Rows, e: contracts.EvaluationRunCancelled, env: EventEnvelope) -> None:
    """Cancelled; the reason is kept in failure_reason."""
    await _set(rows, e.run_id, env.committed_at, status="cancelled", failure_reason=e.reason)


@projector.on(contracts.EvaluationRunCompleted)
async def completed(rows: Rows, e: contracts.EvaluationRunCompleted, env: EventEnvelope) -> None:
    """Completed or failed, with its aggregate metrics."""
    await _set(
        rows, e.run_id, env.committed_at, status=e.status,
        metrics=json.dumps(e.model_dump(mode="json")["metrics"]), completed_at=e.completed_at,
        started_at=e.started_at, snapshot_digest=e.snapshot_digest,
        failure_reason=e.failure_reason, notes=e.notes,
    )  # fmt: skip
