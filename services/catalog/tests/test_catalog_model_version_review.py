"""The review life of a model version: draft -> under_review -> approved -> deprecated."""

import pytest

from catalog_service.domain import MissingEvaluations
from llmops_domain.errors import InvalidTransition, ValidationFailed


class TestSubmission:
    def test_a_draft_is_submitted_for_review(self, draft):
        draft.submit(actor="alice", reason="ready for review")
        assert draft.status == "under_review"

    def test_submission_records_the_submitter_and_reason(self, under_review):
        last = under_review.transitions[-1]
        assert (last.from_status, last.to_status) == ("draft", "under_review")
        assert (last.actor, last.reason) == ("alice", "ready for review")

    def test_a_version_under_review_cannot_be_submitted_again(self, under_review):
        with pytest.raises(InvalidTransition) as refused:
            under_review.submit(actor="alice", reason="again")
        assert refused.value.code == "invalid_transition"

    def test_submission_without_a_reason_is_refused(self, draft):
        with pytest.raises(ValidationFailed) as refused:
            draft.submit(actor="alice", reason=" ")
        assert "reason" in refused.value.field_errors


class TestApproval:
    def test_approval_with_automated_and_human_evaluations_approves(self, under_review, evaluation):
        runs = [evaluation(under_review, "automated"), evaluation(under_review, "human")]
        under_review.approve(reviewer="bob", reason="good", evaluations=runs)
        assert under_review.status == "approved"

    def test_an_llm_judge_evaluation_counts_as_the_second_opinion(self, under_review, evaluation):
        runs = [evaluation(under_review, "automated"), evaluation(under_review, "llm_judge")]
        under_review.approve(reviewer="bob", reason="good", evaluations=runs)
        assert under_review.status == "approved"

    def test_approval_records_the_reviewer_reason_and_evidence(self, approved, run_id):
        last = approved.transitions[-1]
        assert (last.from_status, last.to_status) == ("under_review", "approved")
        assert (last.actor, last.reason) == ("bob", "metrics above bar")
        assert approved.approval_evaluation_run_ids == sorted(
            [run_id("automated"), run_id("human")]
        )

    def test_approval_is_refused_without_any_evaluation(self, under_review):
        with pytest.raises(MissingEvaluations) as refused:
            under_review.approve(reviewer="bob", reason="good", evaluations=[])
        assert refused.value.code == "missing_evaluations"
        assert refused.value.missing == ["automated", "human_or_llm_judge"]

    def test_approval_is_refused_without_a_human_evaluation(self, under_review, evaluation):
        with pytest.raises(MissingEvaluations) as refused:
            under_review.approve(
                reviewer="bob", reason="good", evaluations=[evaluation(under_review, "automated")]
            )
        assert refused.value.missing == ["human_or_llm_judge"]
        assert "human or llm_judge" in refused.value.message

    def test_approval_is_refused_without_an_automated_evaluation(self, under_review, evaluation):
        with pytest.raises(MissingEvaluations) as refused:
            under_review.approve(
                reviewer="bob", reason="good", evaluations=[evaluation(under_review, "human")]
            )
        assert refused.value.missing == ["automated"]

    def test_failed_evaluations_do_not_count(self, under_review, evaluation):
        runs = [evaluation(under_review, "automated"), evaluation(under_review, "human", "failed")]
        with pytest.raises(MissingEvaluations) as refused:
            under_review.approve(reviewer="bob", reason="good", evaluations=runs)
        assert refused.value.missing == ["human_or_llm_judge"]

    def test_evaluations_of_another_version_do_not_count(self, under_review, evaluation):
        other = "00000000-0000-0000-0000-000000000000"
        runs = [
            evaluation(under_review, "automated"),
            evaluation(under_review, "human", model_version_id=other),
        ]
        with pytest.raises(MissingEvaluations):
            under_review.approve(reviewer="bob", reason="good", evaluations=runs)

    def test_a_draft_cannot_be_approved(self, draft, evaluation):
        runs = [evaluation(draft, "automated"), evaluation(draft, "human")]
        with pytest.raises(InvalidTransition):
            draft.approve(reviewer="bob", reason="good", evaluations=runs)

    def test_approval_without_a_reason_is_refused(self, under_review, evaluation):
        runs = [evaluation(under_review, "automated"), evaluation(under_review, "human")]
        with pytest.raises(ValidationFailed):
            under_review.approve(reviewer="bob", reason="", evaluations=runs)

    def test_approval_without_a_reviewer_is_refused(self, under_review, evaluation):
        runs = [evaluation(under_review, "automated"), evaluation(under_review, "human")]
        with pytest.raises(ValidationFailed) as refused:
            under_review.approve(reviewer="", reason="good", evaluations=runs)
        assert "actor" in refused.value.field_errors


class TestRejection:
    def test_rejection_returns_the_version_to_draft(self, under_review):
        under_review.reject(reviewer="bob", reason="model card too thin")
        assert under_review.status == "draft"

    def test_rejection_records_the_reviewer_and_reason(self, under_review):
        under_review.reject(reviewer="bob", reason="model card too thin")
        last = under_review.transitions[-1]
        assert (last.to_status, last.actor, last.reason) == ("draft", "bob", "model card too thin")

    def test_rejection_without_a_reason_is_refused(self, under_review):
        with pytest.raises(ValidationFailed):
            under_review.reject(reviewer="bob", reason="")

    def test_a_draft_cannot_be_rejected(self, draft):
        with pytest.raises(InvalidTransition):
            draft.reject(reviewer="bob", reason="no")

    def test_a_rejected_version_can_be_resubmitted(self, under_review):
        under_review.reject(reviewer="bob", reason="fix the card")
        under_review.submit(actor="alice", reason="fixed")
        assert under_review.status == "under_review"


class TestDeprecation:
    def test_an_approved_version_is_deprecated(self, approved):
        approved.deprecate(actor="carol", reason="superseded by 1.3.0")
        assert approved.status == "deprecated"
        assert approved.transitions[-1].reason == "superseded by 1.3.0"

    def test_a_version_under_review_cannot_be_deprecated(self, under_review):
        with pytest.raises(InvalidTransition):
            under_review.deprecate(actor="carol", reason="policy violation")

    def test_deprecation_without_a_reason_is_refused(self, approved):
        with pytest.raises(ValidationFailed):
            approved.deprecate(actor="carol", reason="")

    @pytest.mark.parametrize("action", ["submit", "reject", "deprecate"])
    def test_a_deprecated_version_accepts_no_transition(self, approved, action):
        approved.deprecate(actor="carol", reason="superseded")
        arguments = {"reviewer" if action == "reject" else "actor": "a", "reason": "r"}
        with pytest.raises(InvalidTransition):
            getattr(approved, action)(**arguments)

    def test_an_approved_version_cannot_be_approved_again(self, approved, evaluation):
        runs = [evaluation(approved, "automated"), evaluation(approved, "human")]
        with pytest.raises(InvalidTransition):
            approved.approve(reviewer="bob", reason="again", evaluations=runs)
