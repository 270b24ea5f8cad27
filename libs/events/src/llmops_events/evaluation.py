"""Contracts published by the evaluation service that catalog consumes (built later)."""

from typing import Literal
from uuid import UUID

from pydantic import AwareDatetime, JsonValue

from llmops_events.base import EventContract, Name, Text

EvaluationType = Literal["automated", "human", "llm_judge"]


class EvaluationRunCompleted(EventContract):
    """An evaluation run of a model version finished, successfully or not."""

    WIRE_NAME = "evaluation.run.completed"
    run_id: UUID
    model_entry_id: UUID
    dataset_id: UUID
    prompt_template_id: UUID | None
    type: EvaluationType
    metrics: dict[str, JsonValue]
    status: Literal["completed", "failed"]
    completed_at: AwareDatetime
    run_by: Name
    notes: Text | None = None


EVENTS: tuple[type[EventContract], ...] = (EvaluationRunCompleted,)
