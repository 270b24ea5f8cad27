"""evaluation_summary is kept current from evaluation events."""

import pytest

from catalog_service.domain import MissingEvaluations
from llmops_domain.errors import ValidationFailed


class TestRecordingEvaluations:
    def test_a_completed_run_appears_in_the_summary(self, draft, evaluation, run_id):
        draft.record_evaluation(evaluation(draft, "automated", metrics={"rouge": 0.4}))
        assert draft.evaluation_summary == {
            "automated": {
                "run_id": run_id("automated"),
                "metrics": {"rouge": 0.4},
                "completed_at": "2025-11-27T10:00:00+00:00",
            }
        }

    def test_the_summary_keeps_the_latest_run_of_each_type(self, draft, evaluation):
        draft.record_evaluation(
            evaluation(draft, "automated", run_id="new", completed_at="2025-11-28T00:00:00+00:00")
        )
        draft.record_evaluation(
            evaluation(draft, "automated", run_id="old", completed_at="2025-11-01T00:00:00+00:00")
        )
        assert draft.evaluation_summary["automated"]["run_id"] == "new"

    def test_a_failed_run_is_recorded_but_not_summarized(self, draft, evaluation, run_id):
        draft.record_evaluation(evaluation(draft, "human", "failed"))
        assert run_id("human", "failed") in draft.evaluations
        assert draft.evaluation_summary == {}

    def test_a_run_seen_twice_is_recorded_once(self, draft, evaluation):
        run = evaluation(draft, "automated")
        draft.record_evaluation(run)
        draft.record_evaluation(run)
        assert (
            len([e for e in draft.collect_events() if type(e).__name__ == "EvaluationRecorded"])
            == 1
        )

    def test_a_run_of_another_version_is_refused(self, draft, evaluation):
        with pytest.raises(ValidationFailed):
            draft.record_evaluation(evaluation(draft, "automated", model_version_id="other"))

    def test_evaluations_are_recorded_in_any_status(self, approved, evaluation):
        approved.record_evaluation(evaluation(approved, "llm_judge"))
        assert "llm_judge" in approved.evaluation_summary

    def test_recorded_runs_can_serve_as_approval_evidence(self, under_review, evaluation):
        under_review.record_evaluation(evaluation(under_review, "automated"))
        with pytest.raises(MissingEvaluations):
            under_review.approve(
                reviewer="bob", reason="ok", evaluations=list(under_review.evaluations.values())
            )
        under_review.record_evaluation(evaluation(under_review, "llm_judge"))
        under_review.approve(
            reviewer="bob", reason="ok", evaluations=list(under_review.evaluations.values())
        )
        assert under_review.status == "approved"
