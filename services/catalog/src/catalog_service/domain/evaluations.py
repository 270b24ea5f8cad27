"""Evaluation runs as the catalog knows them, and the approval gate built on them."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

EvaluationType = Literal["automated", "human", "llm_judge"]

# Names of the evidence kinds, as they appear in a MissingEvaluations refusal.
AUTOMATED = "automated"
HUMAN_OR_LLM_JUDGE = "human_or_llm_judge"


@dataclass(frozen=True)
class EvaluationSummary:
    """One evaluation run of a model version, learned from `evaluation.run.completed`."""

    run_id: str
    model_version_id: str
    type: EvaluationType
    status: str
    completed_at: str
    metrics: dict[str, Any] = field(default_factory=dict)

    @property
    def completed(self) -> bool:
        """True if the run finished successfully."""
        return self.status == "completed"


def completed_evaluations_of(
    model_version_id: str, evaluations: Iterable[EvaluationSummary]
) -> list[EvaluationSummary]:
    """The completed runs among `evaluations` that evaluated `model_version_id`."""
    return [e for e in evaluations if e.model_version_id == model_version_id and e.completed]


def missing_evidence(evaluations: Iterable[EvaluationSummary]) -> list[str]:
    """Evidence kinds approval still lacks among already filtered completed `evaluations`."""
    types = {e.type for e in evaluations}
    missing = []
    if "automated" not in types:
        missing.append(AUTOMATED)
    if not types & {"human", "llm_judge"}:
        missing.append(HUMAN_OR_LLM_JUDGE)
    return missing
