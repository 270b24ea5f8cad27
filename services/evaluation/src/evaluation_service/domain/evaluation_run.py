"""EvaluationRun: one evaluation of a model version on an approved dataset snapshot.

Lifecycle: queued -> running -> completed | failed, and queued | running -> cancelled.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, ClassVar
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate

from evaluation_service.domain.aggregation import aggregate_scores
from evaluation_service.domain.benchmark import BenchmarkSnapshot, require_approved_snapshot
from evaluation_service.domain.errors import (
    JudgeMismatch,
    NoItemsScored,
    TooManyItems,
    WrongRunType,
)
from llmops_domain.errors import InvalidTransition, ValidationFailed
from llmops_events import evaluation as contracts

TYPES = ("automated", "human", "llm_judge")
# A worker that claimed a run and went silent is assumed gone; after this many claims the
# run fails instead of being claimed again (a file that crashes every worker).
MAX_ATTEMPTS = 3


def _scores_json(scores: Sequence[contracts.ItemScore]) -> list[dict[str, Any]]:
    return [s.model_dump(mode="json") for s in scores]


class EvaluationRun(Aggregate):
    """A run and the scores it gathered; the worker and the handlers drive its lifecycle."""

    class Queued(Aggregate.Created):
        wire_name: ClassVar[str] = contracts.EvaluationRunQueued.WIRE_NAME
        class_version: ClassVar[int] = contracts.EvaluationRunQueued.SCHEMA_VERSION
        run_id: str
        model_version_id: str
        dataset_version_id: str
        snapshot_uri: str
        prompt_template_id: str | None
        type: str
        predictions_uri: str | None
        notes: str | None
        run_by: str

    class Started(Aggregate.Event):
        wire_name: ClassVar[str] = contracts.EvaluationRunStarted.WIRE_NAME
        class_version: ClassVar[int] = contracts.EvaluationRunStarted.SCHEMA_VERSION
        run_id: str
        started_at: str
        started_by: str
        attempt: int

        def apply(self, run: EvaluationRun) -> None:
            run.status = "running"
            run.started_at = datetime.fromisoformat(self.started_at)
            run.attempts = self.attempt

    class HumanScoresSubmitted(Aggregate.Event):
        wire_name: ClassVar[str] = contracts.EvaluationHumanScoresSubmitted.WIRE_NAME
        class_version: ClassVar[int] = contracts.EvaluationHumanScoresSubmitted.SCHEMA_VERSION
        run_id: str
        reviewer: str
        scores: list[dict[str, Any]]

        def apply(self, run: EvaluationRun) -> None:
            run.add_scores(self.reviewer, self.scores)

    class JudgeResultsSubmitted(Aggregate.Event):
        wire_name: ClassVar[str] = contracts.EvaluationJudgeResultsSubmitted.WIRE_NAME
        class_version: ClassVar[int] = contracts.EvaluationJudgeResultsSubmitted.SCHEMA_VERSION
        run_id: str
        judge_model: str
        judge_prompt_sha256: str
        scores: list[dict[str, Any]]
        submitted_by: str

        def apply(self, run: EvaluationRun) -> None:
            run.judge = (self.judge_model, self.judge_prompt_sha256)
            run.add_scores(self.judge_model, self.scores)

    class Scored(Aggregate.Event):
        wire_name: ClassVar[str] = contracts.EvaluationRunScored.WIRE_NAME
        class_version: ClassVar[int] = contracts.EvaluationRunScored.SCHEMA_VERSION
        run_id: str
        snapshot_digest: str
        predictions_digest: str
        items: list[dict[str, Any]]

        def apply(self, run: EvaluationRun) -> None:
            # The per-item results live in the read model; the run keeps the digest it read.
            run.snapshot_digest = self.snapshot_digest

    class Cancelled(Aggregate.Event):
        wire_name: ClassVar[str] = contracts.EvaluationRunCancelled.WIRE_NAME
        class_version: ClassVar[int] = contracts.EvaluationRunCancelled.SCHEMA_VERSION
        run_id: str
        cancelled_by: str
        reason: str

        def apply(self, run: EvaluationRun) -> None:
            run.status = "cancelled"

    class Completed(Aggregate.Event):
        wire_name: ClassVar[str] = contracts.EvaluationRunCompleted.WIRE_NAME
        class_version: ClassVar[int] = contracts.EvaluationRunCompleted.SCHEMA_VERSION
        run_id: str
        model_entry_id: str
        dataset_id: str
        prompt_template_id: str | None
        type: str
        metrics: dict[str, Any]
        status: str
        started_at: str
        completed_at: str
        run_by: str
        notes: str | None
        snapshot_digest: str | None
        failure_reason: str | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            # v1 knew neither when the run started nor what it read.
            state.setdefault("started_at", state["completed_at"])
            state.setdefault("snapshot_digest", None)
            state.setdefault("failure_reason", None)

        def apply(self, run: EvaluationRun) -> None:
            run.status = self.status
            run.metrics = dict(self.metrics)
            run.completed_at = datetime.fromisoformat(self.completed_at)
            run.snapshot_digest = self.snapshot_digest
            run.failure_reason = self.failure_reason

    def __init__(
        self,
        run_id: str,
        model_version_id: str,
        dataset_version_id: str,
        snapshot_uri: str,
        prompt_template_id: str | None,
        type: str,
        predictions_uri: str | None,
        notes: str | None,
        run_by: str,
    ) -> None:
        self.model_version_id = model_version_id
        self.dataset_version_id = dataset_version_id
        self.snapshot_uri = snapshot_uri
        self.prompt_template_id = prompt_template_id
        self.type = type
        self.predictions_uri = predictions_uri
        self.notes = notes
        self.run_by = run_by
        self.status = "queued"
        self.attempts = 0
        self.started_at: datetime | None = None
        self.completed_at: datetime | None = None
        self.snapshot_digest: str | None = None
        self.failure_reason: str | None = None
        self.metrics: dict[str, Any] = {}
        self.judge: tuple[str, str] | None = None
        # item id -> scorer (reviewer, judge model, or "metrics") -> score
        self.scores: dict[str, dict[str, float]] = {}

    # --- queueing --------------------------------------------------------------------------

    @classmethod
    def queue(
        cls,
        *,
        model_version_id: UUID,
        dataset_version_id: UUID,
        benchmark: BenchmarkSnapshot | None,
        type: str,
        actor: str,
        prompt_template_id: UUID | None = None,
        predictions_uri: str | None = None,
        notes: str | None = None,
        run_id: UUID | None = None,
    ) -> EvaluationRun:
        """A queued run on the dataset version's snapshot, which must be approved."""
        snapshot_uri = require_approved_snapshot(str(dataset_version_id), benchmark)
        if type not in TYPES:
            raise ValidationFailed({"type": f"one of {', '.join(TYPES)}"})
        if type == "automated" and not (predictions_uri or "").startswith("file://"):
            raise ValidationFailed({"predictions_uri": "an automated run needs a file:// URI"})
        if type != "automated" and predictions_uri is not None:
            raise ValidationFailed({"predictions_uri": "only automated runs take predictions"})
        run_id = run_id or uuid4()
        return cls._create(
            cls.Queued, id=run_id, run_id=str(run_id), model_version_id=str(model_version_id),
            dataset_version_id=str(dataset_version_id), snapshot_uri=snapshot_uri,
            prompt_template_id=None if prompt_template_id is None else str(prompt_template_id),
            type=type, predictions_uri=predictions_uri, notes=notes, run_by=actor,
        )  # fmt: skip

    # --- the lifecycle ---------------------------------------------------------------------

    def _require(self, action: str, *statuses: str) -> None:
        if self.status not in statuses:
            raise InvalidTransition(action, self.status, list(statuses), subject="evaluation run")

    def _require_type(self, action: str, *types: str) -> None:
        if self.type not in types:
            raise WrongRunType(
                f"cannot {action} a {self.type} run; only {' or '.join(types)} runs",
                details={"type": self.type},
            )

    def _start(self, by: str, at: datetime) -> None:
        self.trigger_event(
            self.Started, run_id=str(self.id), started_at=at.isoformat(), started_by=by,
            attempt=self.attempts + 1,
        )  # fmt: skip

    def claimable(self, now: datetime, stale_after: timedelta) -> bool:
        """True for a queued automated run, or a running one whose worker went silent."""
        if self.type != "automated":
            return False
        if self.status == "queued":
            return True
        started = self.started_at
        return self.status == "running" and started is not None and now - started >= stale_after

    def claim(self, *, worker: str, now: datetime, stale_after: timedelta) -> bool:
        """Start (or restart) scoring; False, with the run failed, when attempts ran out."""
        if not self.claimable(now, stale_after):
            raise InvalidTransition("claim", self.status, ["queued"], subject="evaluation run")
        if self.attempts >= MAX_ATTEMPTS:
            self.fail(
                reason=f"abandoned: no worker finished scoring after {self.attempts} attempts",
                at=now,
            )
            return False
        self._start(worker, now)
        return True

    def record_automated_scores(
        self,
        *,
        items: Sequence[contracts.AutomatedItemResult],
        metrics: Mapping[str, Any],
        snapshot_digest: str,
        predictions_digest: str,
        at: datetime,
    ) -> None:
        """The worker's per-item results and aggregate metrics: the run is completed."""
        self._require_type("record automated scores for", "automated")
        self._require("record automated scores for", "running")
        if not items:
            raise NoItemsScored("an automated run completes with at least one item")
        if len(items) > contracts.RUN_ITEMS_MAX:
            raise TooManyItems(f"{len(items)} items; at most {contracts.RUN_ITEMS_MAX}")
        self.trigger_event(
            self.Scored, run_id=str(self.id), snapshot_digest=snapshot_digest,
            predictions_digest=predictions_digest, items=[i.model_dump() for i in items],
        )  # fmt: skip
        self._complete("completed", dict(metrics), at, snapshot_digest=snapshot_digest)

    def fail(self, *, reason: str, at: datetime, snapshot_digest: str | None = None) -> None:
        """The run could not be scored: completed with status failed and the reason."""
        self._require("fail", "running")
        self._complete("failed", {}, at, snapshot_digest=snapshot_digest, failure_reason=reason)

    def cancel(self, *, by: str, reason: str) -> None:
        """Cancel a run not finished yet."""
        self._require("cancel", "queued", "running")
        if not reason.strip():
            raise ValidationFailed({"reason": "must not be blank"})
        self.trigger_event(self.Cancelled, run_id=str(self.id), cancelled_by=by, reason=reason)

    # --- human and judge scores ------------------------------------------------------------

    def add_scores(self, scorer: str, scores: Sequence[Mapping[str, Any]]) -> None:
        """Apply submitted scores: a scorer's later score of an item replaces its earlier one."""
        for score in scores:
            self.scores.setdefault(score["item_id"], {})[scorer] = float(score["score"])

    def _check_item_count(self, scores: Sequence[contracts.ItemScore]) -> None:
        new = {s.item_id for s in scores} - set(self.scores)
        if len(self.scores) + len(new) > contracts.RUN_ITEMS_MAX:
            raise TooManyItems(f"a run scores at most {contracts.RUN_ITEMS_MAX} distinct items")

    def submit_human_scores(
        self, *, reviewer: str, scores: Sequence[contracts.ItemScore], at: datetime
    ) -> None:
        """A reviewer's item scores; the first submission starts the run."""
        self._require_type("submit human scores to", "human")
        self._require("submit human scores to", "queued", "running")
        self._check_item_count(scores)
        if self.status == "queued":
            self._start(reviewer, at)
        self.trigger_event(
            self.HumanScoresSubmitted, run_id=str(self.id), reviewer=reviewer,
            scores=_scores_json(scores),
        )  # fmt: skip

    def submit_judge_results(
        self,
        *,
        judge_model: str,
        judge_prompt_sha256: str,
        scores: Sequence[contracts.ItemScore],
        by: str,
        at: datetime,
    ) -> None:
        """A judge model's item scores; every submission of a run names the same judge."""
        self._require_type("submit judge results to", "llm_judge")
        self._require("submit judge results to", "queued", "running")
        if self.judge is not None and self.judge != (judge_model, judge_prompt_sha256):
            raise JudgeMismatch(
                f"this run is judged by {self.judge[0]} with prompt {self.judge[1]}",
                details={"judge_model": self.judge[0], "judge_prompt_sha256": self.judge[1]},
            )
        self._check_item_count(scores)
        if self.status == "queued":
            self._start(by, at)
        self.trigger_event(
            self.JudgeResultsSubmitted, run_id=str(self.id), judge_model=judge_model,
            judge_prompt_sha256=judge_prompt_sha256, scores=_scores_json(scores), submitted_by=by,
        )  # fmt: skip

    def complete(self, *, at: datetime, notes: str | None = None) -> None:
        """Complete a human or judge run from its scores (at least one item)."""
        self._require_type("complete", "human", "llm_judge")
        self._require("complete", "queued", "running")
        if not self.scores:
            raise NoItemsScored("no item was scored: submit scores before completing the run")
        metrics = aggregate_scores(self.scores)
        if self.judge is not None:
            metrics |= {"judge_model": self.judge[0], "judge_prompt_sha256": self.judge[1]}
        self._complete("completed", metrics, at, notes=notes)

    def _complete(
        self,
        status: str,
        metrics: dict[str, Any],
        at: datetime,
        *,
        snapshot_digest: str | None = None,
        failure_reason: str | None = None,
        notes: str | None = None,
    ) -> None:
        started = self.started_at or at
        self.trigger_event(
            self.Completed, run_id=str(self.id), model_entry_id=self.model_version_id,
            dataset_id=self.dataset_version_id, prompt_template_id=self.prompt_template_id,
            type=self.type, metrics=metrics, status=status, started_at=started.isoformat(),
            completed_at=max(at, started).isoformat(), run_by=self.run_by,
            notes=notes if notes is not None else self.notes,
            snapshot_digest=snapshot_digest, failure_reason=failure_reason,
        )  # fmt: skip
