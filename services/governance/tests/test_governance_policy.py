"""GovernancePolicy: fields and rules validated, lifecycle, reviews and the 90-day clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest

from governance_service.domain import REVIEW_PERIOD, GovernancePolicy
from llmops_domain.errors import InvalidTransition, ValidationFailed

T0 = datetime(2026, 1, 1, tzinfo=UTC)
TOKENS: list[dict[str, Any]] = [{"kind": "prohibited_tokens", "tokens": ["password"]}]


def draft(**overrides: Any) -> GovernancePolicy:
    args: dict[str, Any] = {"name": "prompt-hygiene", "scope": "model", "rules": TOKENS}
    return GovernancePolicy.draft(actor="gina", **(args | overrides))


def active() -> GovernancePolicy:
    policy = draft()
    policy.activate(actor="gina", reason="board decision", at=T0)
    return policy


class TestDraft:
    def test_a_draft_has_the_spec_fields(self) -> None:
        policy = draft()
        assert (policy.name, policy.scope, policy.status) == ("prompt-hygiene", "model", "draft")
        assert policy.rules == TOKENS
        assert policy.last_reviewed_at is None

    @pytest.mark.parametrize("scope", ["model", "dataset", "user"])
    def test_each_scope_of_the_spec_is_accepted(self, scope: str) -> None:
        assert draft(scope=scope).scope == scope

    def test_an_unknown_scope_is_refused(self) -> None:
        with pytest.raises(ValidationFailed) as refused:
            draft(scope="planet")
        assert "scope" in refused.value.field_errors

    def test_the_id_is_derived_from_the_name(self) -> None:
        assert draft().id == GovernancePolicy.create_id("prompt-hygiene")

    def test_a_policy_without_rules_is_refused(self) -> None:
        with pytest.raises(ValidationFailed):
            draft(rules=[])


class TestLifecycle:
    def test_draft_to_active(self) -> None:
        assert active().status == "active"

    def test_active_to_suspended_and_back(self) -> None:
        policy = active()
        policy.suspend(actor="gina", reason="audit", at=T0)
        assert policy.status == "suspended"
        policy.activate(actor="gina", reason="audit done", at=T0)
        assert policy.status == "active"

    def test_retired_is_final(self) -> None:
        policy = active()
        policy.retire(actor="gina", reason="superseded", at=T0)
        with pytest.raises(InvalidTransition):
            policy.activate(actor="gina", reason="again", at=T0)

    def test_a_draft_cannot_be_suspended(self) -> None:
        with pytest.raises(InvalidTransition):
            draft().suspend(actor="gina", reason="x", at=T0)

    def test_an_active_policy_s_rules_cannot_be_revised_in_force(self) -> None:
        with pytest.raises(InvalidTransition):
            active().revise_rules(TOKENS, actor="gina", reason="tighten")

    def test_a_draft_s_rules_can_be_revised(self) -> None:
        policy = draft()
        rules = [{"kind": "max_training_retries", "max_retries": 2}]
        policy.revise_rules(rules, actor="gina", reason="retries too")
        assert policy.rules == rules

    def test_a_transition_without_a_reason_is_refused(self) -> None:
        with pytest.raises(ValidationFailed):
            draft().activate(actor="gina", reason="", at=T0)

    def test_a_naive_time_is_refused(self) -> None:
        with pytest.raises(ValidationFailed):
            draft().activate(actor="gina", reason="x", at=datetime(2026, 1, 1))


class TestReview:
    def test_a_review_records_reviewer_decision_notes_and_time(self) -> None:
        policy = active()
        at = T0 + timedelta(days=10)
        policy.review(reviewer="rui", decision="approved", notes="still right", at=at)
        assert policy.last_reviewed_at == at
        assert policy.reviews == [("rui", "approved", "still right", at.isoformat())]

    def test_an_unknown_decision_is_refused(self) -> None:
        with pytest.raises(ValidationFailed):
            active().review(reviewer="rui", decision="maybe", notes="hm", at=T0)

    def test_a_review_needs_notes(self) -> None:
        with pytest.raises(ValidationFailed):
            active().review(reviewer="rui", decision="approved", notes="", at=T0)


class TestReassessmentEveryNinetyDays:
    def test_the_default_period_is_ninety_days(self) -> None:
        assert timedelta(days=90) == REVIEW_PERIOD

    def test_the_review_is_due_ninety_days_after_going_in_force(self) -> None:
        assert active().review_due_at() == T0 + timedelta(days=90)

    def test_not_yet_due_changes_nothing(self) -> None:
        policy = active()
        assert not policy.check_review_due(T0 + timedelta(days=89, hours=23))
        assert not policy.blocks_governed_actions

    def test_due_marks_the_policy_overdue_once(self) -> None:
        policy = active()
        assert policy.check_review_due(T0 + timedelta(days=90))
        assert policy.review_overdue and policy.blocks_governed_actions
        assert not policy.check_review_due(T0 + timedelta(days=91))
        overdue = [
            e for e in policy.collect_events() if isinstance(e, GovernancePolicy.ReviewOverdue)
        ]
        assert len(overdue) == 1

    def test_a_review_lifts_the_overdue_state_and_restarts_the_clock(self) -> None:
        policy = active()
        policy.check_review_due(T0 + timedelta(days=95))
        reviewed = T0 + timedelta(days=96)
        policy.review(reviewer="rui", decision="approved", notes="ok", at=reviewed)
        assert not policy.blocks_governed_actions
        assert policy.review_due_at() == reviewed + REVIEW_PERIOD

    def test_the_period_is_configurable(self) -> None:
        policy = active()
        assert policy.check_review_due(T0 + timedelta(seconds=5), timedelta(seconds=5))

    def test_a_draft_never_becomes_overdue(self) -> None:
        assert not draft().check_review_due(T0 + timedelta(days=900))


def _tokens_events(policy: GovernancePolicy) -> list[Any]:
    return [
        e
        for e in policy.collect_events()
        if isinstance(e, GovernancePolicy.ProhibitedTokensPublished)
    ]


class TestProhibitedTokensPublished:
    def test_activating_a_policy_with_tokens_publishes_its_full_list(self) -> None:
        [published] = _tokens_events(active())
        assert (published.policy_name, published.tokens, published.published_by) == (
            "prompt-hygiene", ["password"], "gina",
        )  # fmt: skip

    def test_suspending_publishes_an_empty_list(self) -> None:
        policy = active()
        policy.suspend(actor="sam", reason="pause", at=T0)
        assert [e.tokens for e in _tokens_events(policy)] == [["password"], []]

    def test_retiring_an_active_policy_publishes_an_empty_list(self) -> None:
        policy = active()
        policy.retire(actor="sam", reason="end", at=T0)
        assert [e.tokens for e in _tokens_events(policy)] == [["password"], []]

    def test_reactivation_after_a_revision_publishes_the_new_list(self) -> None:
        policy = active()
        policy.suspend(actor="sam", reason="pause", at=T0)
        rules = [{"kind": "prohibited_tokens", "tokens": ["password", "ssn"]}]
        policy.revise_rules(rules, actor="sam", reason="add ssn")
        policy.activate(actor="sam", reason="again", at=T0)
        assert [e.tokens for e in _tokens_events(policy)] == [["password"], [], ["password", "ssn"]]

    def test_retiring_a_suspended_or_draft_policy_publishes_an_empty_list_again(self) -> None:
        policy = active()
        policy.suspend(actor="sam", reason="pause", at=T0)
        policy.retire(actor="sam", reason="end", at=T0)
        assert [e.tokens for e in _tokens_events(policy)] == [["password"], [], []]
        never_active = draft()
        never_active.retire(actor="sam", reason="dropped", at=T0)
        assert [e.tokens for e in _tokens_events(never_active)] == [[]]

    def test_a_policy_without_a_tokens_rule_publishes_nothing(self) -> None:
        policy = draft(rules=[{"kind": "max_training_retries", "max_retries": 2}])
        policy.activate(actor="gina", reason="go", at=T0)
        policy.suspend(actor="gina", reason="pause", at=T0)
        assert _tokens_events(policy) == []


class TestViolations:
    def test_a_violation_is_recorded_against_an_active_policy_with_a_derived_id(self) -> None:
        policy = active()
        resource = uuid4()
        vid = policy.record_violation(
            resource_type="model_version", resource_id=resource, details="no eval",
            actor="bot", key="cmd-7",
        )  # fmt: skip
        assert vid == GovernancePolicy.violation_id_for(policy.id, "cmd-7")
        event = policy.collect_events()[-1]
        assert isinstance(event, GovernancePolicy.ViolationRecorded)
        assert (event.resource_id, event.recorded_by) == (str(resource), "bot")

    def test_a_suspended_policy_records_no_violation(self) -> None:
        policy = active()
        policy.suspend(actor="gina", reason="pause", at=T0)
        with pytest.raises(InvalidTransition):
            policy.record_violation(
                resource_type="model_version", resource_id=uuid4(), details="x", actor="bot",
                key="k",
            )  # fmt: skip


class TestSpecFields:
    """The data model's GovernancePolicy fields: name, scope, rules, status, last_reviewed_at."""

    def test_spec_field_name_is_required_and_bounded(self) -> None:
        with pytest.raises(ValidationFailed) as refused:
            draft(name="x" * 201)
        assert "name" in refused.value.field_errors

    def test_spec_field_scope_is_model_dataset_or_user(self) -> None:
        with pytest.raises(ValidationFailed):
            draft(scope="team")

    def test_spec_field_rules_are_typed_and_stored_as_json(self) -> None:
        assert draft().rules == TOKENS
        with pytest.raises(ValidationFailed):
            draft(rules=[{"kind": "unknown"}])

    def test_spec_field_status_moves_draft_active_suspended_retired(self) -> None:
        policy = active()
        policy.suspend(actor="gina", reason="pause", at=T0)
        policy.retire(actor="gina", reason="end", at=T0)
        assert policy.status == "retired"

    def test_spec_field_last_reviewed_at_is_the_latest_review(self) -> None:
        policy = active()
        policy.review(reviewer="rita", decision="approved", notes="ok", at=T0 + timedelta(days=1))
        assert policy.last_reviewed_at == T0 + timedelta(days=1)

    def test_spec_rule_policies_require_reassessment_every_ninety_days(self) -> None:
        policy = active()
        assert not policy.check_review_due(T0 + REVIEW_PERIOD - timedelta(seconds=1))
        assert policy.check_review_due(T0 + REVIEW_PERIOD)
        assert policy.blocks_governed_actions
