"""The EvaluationRun aggregate: its lifecycle and every validation rule, without containers."""

from __future__ import annotations

from datetime import timedelta

import pytest

from evaluation_service.domain import AGGREGATES, MAX_ATTEMPTS, BenchmarkSnapshot, EvaluationRun
from evaluation_service.domain.errors import (
    DatasetNotApproved,
    JudgeMismatch,
    NoItemsScored,
    TooManyItems,
    UnknownDatasetVersion,
    WrongRunType,
)
from llmops_domain.errors import InvalidTransition, ValidationFailed
from llmops_events.evaluation import RUN_ITEMS_MAX, AutomatedItemResult, ItemScore
from llmops_testing import check_rebuilds_to, check_scenario

from .conftest import AT, DATASET_ID, make_run

SHA = "a" * 64
STALE = timedelta(minutes=10)


def scores(*pairs: tuple[str, float]) -> list[ItemScore]:
    return [ItemScore(item_id=i, score=s) for i, s in pairs]


def automated() -> EvaluationRun:
    return make_run(type="automated", predictions_uri="file:///tmp/p.jsonl")


def result(item_id: str, value: float = 1.0) -> AutomatedItemResult:
    return AutomatedItemResult(
        item_id=item_id, exact_match=value, token_f1=value, rouge_l=value, bleu=value
    )


class TestTheBenchmarkMustBeAnImmutableSnapshot:
    """Spec: 'Must reference immutable benchmark dataset snapshot'."""

    def test_a_run_on_an_unknown_dataset_version_is_refused(self) -> None:
        with pytest.raises(UnknownDatasetVersion) as refused:
            make_run(benchmark=None)
        assert refused.value.code == "unknown_dataset_version"

    def test_a_run_on_a_dataset_version_not_approved_is_refused(self) -> None:
        pending = BenchmarkSnapshot(str(DATASET_ID), "file:///d.jsonl", approved=False)
        with pytest.raises(DatasetNotApproved) as refused:
            make_run(benchmark=pending)
        assert refused.value.code == "dataset_not_approved"

    def test_the_run_records_the_snapshot_id_and_uri(self) -> None:
        run = make_run()
        assert (run.dataset_version_id, run.snapshot_uri) == (
            str(DATASET_ID),
            "file:///data/qa.jsonl",
        )
        assert run.status == "queued"


class TestQueueing:
    def test_an_automated_run_needs_a_file_predictions_uri(self) -> None:
        for uri in (None, "s3://bucket/p.jsonl"):
            with pytest.raises(ValidationFailed) as refused:
                make_run(type="automated", predictions_uri=uri)
            assert "predictions_uri" in refused.value.field_errors

    def test_a_human_run_takes_no_predictions(self) -> None:
        with pytest.raises(ValidationFailed):
            make_run(type="human", predictions_uri="file:///p.jsonl")


class TestAutomatedLifecycle:
    def test_queued_claimed_scored_completed(self) -> None:
        run = automated()
        assert run.claim(worker="w", now=AT, stale_after=STALE)
        assert (run.status, run.attempts, run.started_at) == ("running", 1, AT)
        run.record_automated_scores(
            items=[result("q1")], metrics={"exact_match": 1.0}, snapshot_digest=SHA,
            predictions_digest="b" * 64, at=AT + timedelta(seconds=3),
        )  # fmt: skip
        assert (run.status, run.metrics, run.snapshot_digest) == (
            "completed",
            {"exact_match": 1.0},
            SHA,
        )

    def test_a_run_being_scored_is_not_claimed_again_until_stale(self) -> None:
        run = automated()
        run.claim(worker="w", now=AT, stale_after=STALE)
        assert not run.claimable(AT + STALE / 2, STALE)
        with pytest.raises(InvalidTransition):
            run.claim(worker="w2", now=AT + STALE / 2, stale_after=STALE)
        assert run.claim(worker="w2", now=AT + STALE, stale_after=STALE)
        assert run.attempts == 2

    def test_a_run_abandoned_max_attempts_times_fails_with_the_reason(self) -> None:
        run = automated()
        for attempt in range(MAX_ATTEMPTS):
            assert run.claim(worker="w", now=AT + STALE * attempt, stale_after=STALE)
        assert not run.claim(worker="w", now=AT + STALE * MAX_ATTEMPTS, stale_after=STALE)
        assert run.status == "failed"
        assert run.failure_reason is not None and "attempts" in run.failure_reason

    def test_a_failed_run_keeps_the_reason_and_the_digest_read(self) -> None:
        run = automated()
        run.claim(worker="w", now=AT, stale_after=STALE)
        run.fail(reason="ids do not match", at=AT, snapshot_digest=SHA)
        assert (run.status, run.failure_reason, run.snapshot_digest) == (
            "failed",
            "ids do not match",
            SHA,
        )

    def test_only_running_runs_are_scored(self) -> None:
        with pytest.raises(InvalidTransition):
            automated().record_automated_scores(
                items=[result("q1")], metrics={}, snapshot_digest=SHA,
                predictions_digest=SHA, at=AT,
            )  # fmt: skip

    def test_human_and_judge_runs_are_never_claimed_by_the_worker(self) -> None:
        assert not make_run(type="human").claimable(AT, STALE)
        assert not make_run(type="llm_judge").claimable(AT, STALE)


class TestHumanRuns:
    def test_scores_of_reviewers_are_aggregated_per_item_then_over_items(self) -> None:
        run = make_run()
        run.submit_human_scores(reviewer="ann", scores=scores(("q1", 1.0), ("q2", 0.5)), at=AT)
        run.submit_human_scores(reviewer="bob", scores=scores(("q1", 0.0)), at=AT)
        run.complete(at=AT + timedelta(minutes=5))
        assert run.status == "completed"
        # q1: (1.0 + 0.0) / 2 = 0.5; q2: 0.5 -> mean 0.5
        assert run.metrics == {"mean_score": 0.5, "items": 2, "scores": 3, "scorers": 2}

    def test_a_reviewer_rescoring_an_item_replaces_the_earlier_score(self) -> None:
        run = make_run()
        run.submit_human_scores(reviewer="ann", scores=scores(("q1", 0.2)), at=AT)
        run.submit_human_scores(reviewer="ann", scores=scores(("q1", 0.8)), at=AT)
        run.complete(at=AT)
        assert run.metrics["mean_score"] == 0.8

    def test_the_first_submission_starts_the_run(self) -> None:
        run = make_run()
        run.submit_human_scores(reviewer="ann", scores=scores(("q1", 1.0)), at=AT)
        assert (run.status, run.started_at) == ("running", AT)

    def test_completing_needs_at_least_one_item(self) -> None:
        with pytest.raises(NoItemsScored) as refused:
            make_run().complete(at=AT)
        assert refused.value.code == "no_items_scored"

    def test_a_run_scores_at_most_the_bounded_number_of_items(self) -> None:
        run = make_run()
        for start in range(0, RUN_ITEMS_MAX, 100):
            batch = scores(*((f"i{n}", 1.0) for n in range(start, start + 100)))
            run.submit_human_scores(reviewer="ann", scores=batch, at=AT)
        with pytest.raises(TooManyItems):
            run.submit_human_scores(reviewer="ann", scores=scores(("one-more", 1.0)), at=AT)

    def test_human_scores_go_to_human_runs_only(self) -> None:
        with pytest.raises(WrongRunType):
            automated().submit_human_scores(reviewer="a", scores=scores(("q1", 1.0)), at=AT)


class TestJudgeRuns:
    def test_the_judge_model_and_prompt_digest_are_recorded_with_the_metrics(self) -> None:
        run = make_run(type="llm_judge")
        run.submit_judge_results(
            judge_model="gpt-judge", judge_prompt_sha256=SHA, scores=scores(("q1", 0.9)),
            by="ci", at=AT,
        )  # fmt: skip
        run.complete(at=AT)
        assert run.metrics["judge_model"] == "gpt-judge"
        assert run.metrics["judge_prompt_sha256"] == SHA
        assert run.metrics["mean_score"] == 0.9

    def test_every_submission_names_the_same_judge(self) -> None:
        run = make_run(type="llm_judge")
        batch = scores(("q1", 0.9))
        run.submit_judge_results(
            judge_model="j", judge_prompt_sha256=SHA, scores=batch, by="ci", at=AT
        )
        with pytest.raises(JudgeMismatch):
            run.submit_judge_results(
                judge_model="j", judge_prompt_sha256="b" * 64, scores=batch, by="ci", at=AT
            )


class TestCancelling:
    def test_a_queued_or_running_run_is_cancelled_with_a_reason(self) -> None:
        run = make_run()
        run.cancel(by="rita", reason="wrong model")
        assert run.status == "cancelled"
        with pytest.raises(InvalidTransition):
            run.cancel(by="rita", reason="again")

    def test_a_blank_reason_is_refused(self) -> None:
        with pytest.raises(ValidationFailed):
            make_run().cancel(by="rita", reason=" ")

    def test_a_finished_run_cannot_be_cancelled(self) -> None:
        run = make_run()
        run.submit_human_scores(reviewer="ann", scores=scores(("q1", 1.0)), at=AT)
        run.complete(at=AT)
        with pytest.raises(InvalidTransition):
            run.cancel(by="rita", reason="late")


def test_the_events_match_their_contracts_and_rebuild_the_runs() -> None:
    human = make_run()
    human.submit_human_scores(reviewer="ann", scores=scores(("q1", 1.0)), at=AT)
    human.complete(at=AT)
    judge = make_run(type="llm_judge")
    judge.submit_judge_results(
        judge_model="j", judge_prompt_sha256=SHA, scores=scores(("q1", 1.0)), by="c", at=AT
    )
    run = automated()
    run.claim(worker="w", now=AT, stale_after=STALE)
    run.record_automated_scores(
        items=[result("q1")], metrics={"bleu": 1.0}, snapshot_digest=SHA,
        predictions_digest=SHA, at=AT,
    )  # fmt: skip
    cancelled = make_run()
    cancelled.cancel(by="r", reason="no")
    runs = [human, judge, run, cancelled]
    events = {r.id: r.collect_events() for r in runs}
    check_scenario([e for es in events.values() for e in es], AGGREGATES)
    for r in runs:
        check_rebuilds_to(events[r.id], r)


def test_a_stored_v1_completion_is_upcast_to_v2() -> None:
    state = {"completed_at": AT.isoformat(), "status": "completed"}
    EvaluationRun.Completed.upcast_v1_v2(state)
    assert state == {
        "completed_at": AT.isoformat(), "status": "completed", "started_at": AT.isoformat(),
        "snapshot_digest": None, "failure_reason": None,
    }  # fmt: skip
