"""Projection of the prompt service's experiment events into prompt_experiments."""

from __future__ import annotations

import json

from llmops_events import prompt as contracts
from llmops_runtime.projections.projector import Projector
from llmops_runtime.projections.rows import Rows
from llmops_runtime.relay.envelope import EventEnvelope

projector = Projector()
TABLE = "prompt_experiments"
_STARTED = {
    "prompt_experiment_id", "name", "template_a_id", "template_b_id", "metric", "start_at",
    "end_at", "min_traffic_per_variant", "statistical_test", "alpha", "started_by",
}  # fmt: skip
_CONCLUSION = {
    "outcome", "winner_variant", "winner_template_id", "stop_condition", "statistical_test",
    "alpha", "t_statistic", "degrees_of_freedom", "p_value", "variants", "concluded_by",
}  # fmt: skip


@projector.on(contracts.PromptExperimentStarted)
async def started(rows: Rows, e: contracts.PromptExperimentStarted, env: EventEnvelope) -> None:
    """A running experiment with no observations yet."""
    row = e.model_dump(include=_STARTED) | {"allocation": json.dumps(e.allocation)}
    row |= {"status": "running", "observation_counts": json.dumps({"a": 0, "b": 0})}
    row |= {"updated_at": env.committed_at}
    await rows.insert(TABLE, row, on_conflict=("prompt_experiment_id",))


@projector.on(contracts.PromptExperimentObservationsRecorded)
async def observations_recorded(
    rows: Rows, e: contracts.PromptExperimentObservationsRecorded, env: EventEnvelope
) -> None:
    """The variant's observation count grows by the batch's count."""
    where = {"prompt_experiment_id": e.prompt_experiment_id}
    found = await rows.value(TABLE, where, "observation_counts")
    if found is None:
        return
    counts = json.loads(found)
    counts[e.variant] = int(counts.get(e.variant, 0)) + e.count
    values = {"observation_counts": json.dumps(counts), "updated_at": env.committed_at}
    await rows.update(TABLE, where, values)


@projector.on(contracts.PromptExperimentConcluded)
async def concluded(rows: Rows, e: contracts.PromptExperimentConcluded, env: EventEnvelope) -> None:
    """The outcome, winner and full conclusion."""
    conclusion = e.model_dump(mode="json", include=_CONCLUSION)
    values: dict[str, object] = {"status": "concluded", "outcome": e.outcome}
    values |= {"winner_template_id": e.winner_template_id, "conclusion": json.dumps(conclusion)}
    values |= {"updated_at": env.committed_at}
    await rows.update(TABLE, {"prompt_experiment_id": e.prompt_experiment_id}, values)
