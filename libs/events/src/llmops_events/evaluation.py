"""Contracts of the evaluation service: evaluation runs (EvaluationRun) of model versions.

`evaluation.run.completed` is at schema version 2 (v2 adds `started_at` and
`snapshot_digest`); `EvaluationRunCompletedV1` keeps the v1 fields, which both versions carry,
for consumers that read only those.
"""

from typing import Annotated, Literal
from uuid import UUID

from pydantic import AwareDatetime, Field, JsonValue

from llmops_events.base import CommandContract, EventContract, Name, Text, Uri

EvaluationType = Literal["automated", "human", "llm_judge"]

# Bounds that keep every event of a run far below the events topics' 1 MiB record limit.
ITEMS_PER_SUBMISSION_MAX = 100
"""Item scores in one human or judge submission."""
RUN_ITEMS_MAX = 1_000
"""Items (dataset rows) one run scores."""
COMMENT_MAX_CHARS = 1_000
"""A reviewer's comment or a judge's rationale on one item."""

Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
"""A SHA-256 digest in lowercase hex."""
ItemId = Annotated[str, Field(min_length=1, max_length=200)]
"""The `id` of a dataset row."""
Score = Annotated[float, Field(ge=0.0, le=1.0)]
"""A score normalized to 0-1."""


class ItemScore(EventContract):
    """One item's score from a reviewer or a judge model, with an optional comment."""

    item_id: ItemId
    score: Score
    comment: Annotated[str, Field(max_length=COMMENT_MAX_CHARS)] | None = None


class AutomatedItemResult(EventContract):
    """The metrics of one item of an automated run (each 0-1)."""

    item_id: ItemId
    exact_match: Score
    token_f1: Score
    rouge_l: Score
    bleu: Score


# --- events -------------------------------------------------------------------------------


class EvaluationRunQueued(EventContract):
    """A run was queued on an approved dataset snapshot."""

    WIRE_NAME = "evaluation.run.queued"
    run_id: UUID
    model_version_id: UUID
    dataset_version_id: UUID
    snapshot_uri: Uri
    prompt_template_id: UUID | None
    type: EvaluationType
    predictions_uri: Uri | None
    notes: Text | None
    run_by: Name


class EvaluationRunStarted(EventContract):
    """A run started (a worker claimed it, or its first scores arrived); attempt counts claims."""

    WIRE_NAME = "evaluation.run.started"
    run_id: UUID
    started_at: AwareDatetime
    started_by: Name
    attempt: int = Field(ge=1)


class EvaluationHumanScoresSubmitted(EventContract):
    """A reviewer scored items of a human run."""

    WIRE_NAME = "evaluation.run.human_scores_submitted"
    run_id: UUID
    reviewer: Name
    scores: list[ItemScore] = Field(min_length=1, max_length=ITEMS_PER_SUBMISSION_MAX)


class EvaluationJudgeResultsSubmitted(EventContract):
    """A judge model's per-item scores of an llm_judge run, naming the model and its prompt."""

    WIRE_NAME = "evaluation.run.judge_results_submitted"
    run_id: UUID
    judge_model: Name
    judge_prompt_sha256: Sha256
    scores: list[ItemScore] = Field(min_length=1, max_length=ITEMS_PER_SUBMISSION_MAX)
    submitted_by: Name


class EvaluationRunScored(EventContract):
    """The worker scored every item of an automated run against the snapshot's references."""

    WIRE_NAME = "evaluation.run.scored"
    run_id: UUID
    snapshot_digest: Sha256
    predictions_digest: Sha256
    items: list[AutomatedItemResult] = Field(min_length=1, max_length=RUN_ITEMS_MAX)


class EvaluationRunCancelled(EventContract):
    """A queued or running run was cancelled."""

    WIRE_NAME = "evaluation.run.cancelled"
    run_id: UUID
    cancelled_by: Name
    reason: Text


class EvaluationRunCompletedV1(EventContract):
    """An evaluation run of a model version finished, successfully or not (v1 fields)."""

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


class EvaluationRunCompleted(EvaluationRunCompletedV1):
    """An evaluation run finished; v2: when it started and the digest of the snapshot read.

    `model_entry_id` is the model version, `dataset_id` the dataset version (the snapshot).
    `snapshot_digest` is the SHA-256 of the snapshot file an automated run read (None when no
    file was read: a human or judge run, or a snapshot that could not be read).
    """

    SCHEMA_VERSION = 2
    started_at: AwareDatetime
    snapshot_digest: Sha256 | None
    failure_reason: Text | None = None


# --- commands -----------------------------------------------------------------------------


class StartEvaluationRun(CommandContract):
    """Queue a run of a model version on an approved dataset version (its benchmark snapshot).

    An automated run names its predictions (`file://` JSONL of `{"id", "prediction"}`); the
    service's worker scores them. Human and llm_judge runs take scores by submission instead.
    """

    WIRE_NAME = "evaluation.start_run"
    model_version_id: UUID
    dataset_version_id: UUID
    prompt_template_id: UUID | None = None
    type: EvaluationType
    predictions_uri: Uri | None = None
    notes: Text | None = None


class CancelEvaluationRun(CommandContract):
    """Cancel a queued or running run."""

    WIRE_NAME = "evaluation.cancel_run"
    run_id: UUID
    reason: Text


class SubmitHumanScores(CommandContract):
    """A reviewer's scores (0-1) and comments on items of a human run."""

    WIRE_NAME = "evaluation.submit_human_scores"
    run_id: UUID
    scores: list[ItemScore] = Field(min_length=1, max_length=ITEMS_PER_SUBMISSION_MAX)


class SubmitJudgeResults(CommandContract):
    """A judge model's scores (0-1) on items of an llm_judge run."""

    WIRE_NAME = "evaluation.submit_judge_results"
    run_id: UUID
    judge_model: Name
    judge_prompt_sha256: Sha256
    scores: list[ItemScore] = Field(min_length=1, max_length=ITEMS_PER_SUBMISSION_MAX)


class CompleteEvaluationRun(CommandContract):
    """Complete a human or llm_judge run from the scores submitted (at least one item)."""

    WIRE_NAME = "evaluation.complete_run"
    run_id: UUID
    notes: Text | None = None


EVENTS: tuple[type[EventContract], ...] = (
    EvaluationRunQueued,
    EvaluationRunStarted,
    EvaluationHumanScoresSubmitted,
    EvaluationJudgeResultsSubmitted,
    EvaluationRunScored,
    EvaluationRunCancelled,
    EvaluationRunCompleted,
)
# What other services consume from `llmops.evaluation.events`; the rest stays in the store.
PUBLISHED: tuple[type[EventContract], ...] = (EvaluationRunCompleted,)
INTERNAL: tuple[type[EventContract], ...] = tuple(e for e in EVENTS if e not in PUBLISHED)
COMMANDS: tuple[type[CommandContract], ...] = (
    StartEvaluationRun,
    CancelEvaluationRun,
    SubmitHumanScores,
    SubmitJudgeResults,
    CompleteEvaluationRun,
)
