"""The typed rule kinds of a policy: each validated before it is stored."""

from __future__ import annotations

from typing import Any

import pytest

from governance_service.domain import RULE_KINDS, parse_rules
from llmops_domain.errors import ValidationFailed

VALID: dict[str, dict[str, Any]] = {
    "prohibited_tokens": {"kind": "prohibited_tokens", "tokens": ["password", "ssn"]},
    "required_evaluations": {
        "kind": "required_evaluations",
        "minimum_runs": {"automated": 2, "human": 1},
        "thresholds": {"rouge_l": 0.4},
    },
    "max_training_retries": {"kind": "max_training_retries", "max_retries": 3},
    "rollback_plan_required_envs": {
        "kind": "rollback_plan_required_envs",
        "environments": ["PROD", "STG"],
    },
    "budget_caps": {
        "kind": "budget_caps",
        "caps": [
            {
                "team": "nlp",
                "period": "month",
                "currency": "USD",
                "soft_limit": 800,
                "hard_limit": 1000,
            }
        ],
    },
}


class TestEachKind:
    def test_every_kind_has_a_valid_example(self) -> None:
        assert set(VALID) == set(RULE_KINDS)

    @pytest.mark.parametrize("kind", RULE_KINDS)
    def test_a_valid_rule_of_each_kind_parses(self, kind: str) -> None:
        [rule] = parse_rules([VALID[kind]])
        assert rule.kind == kind

    def test_an_unknown_kind_is_refused(self) -> None:
        with pytest.raises(ValidationFailed):
            parse_rules([{"kind": "vibes"}])

    def test_unknown_fields_are_refused(self) -> None:
        with pytest.raises(ValidationFailed):
            parse_rules([VALID["max_training_retries"] | {"typo": 1}])

    def test_one_rule_per_kind(self) -> None:
        with pytest.raises(ValidationFailed) as refused:
            parse_rules([VALID["prohibited_tokens"], VALID["prohibited_tokens"]])
        assert "repeated" in refused.value.field_errors["rules"]


class TestBounds:
    def test_retries_above_three_are_refused(self) -> None:
        with pytest.raises(ValidationFailed) as refused:
            parse_rules([{"kind": "max_training_retries", "max_retries": 4}])
        assert "rules.0.max_training_retries.max_retries" in refused.value.field_errors

    def test_required_evaluations_name_at_least_one_type(self) -> None:
        with pytest.raises(ValidationFailed):
            parse_rules([{"kind": "required_evaluations", "minimum_runs": {}}])

    def test_an_unknown_environment_is_refused(self) -> None:
        with pytest.raises(ValidationFailed):
            parse_rules([{"kind": "rollback_plan_required_envs", "environments": ["MARS"]}])

    def test_a_hard_cap_below_the_soft_cap_is_refused(self) -> None:
        cap = {"team": "nlp", "period": "day", "currency": "USD", "soft_limit": 5, "hard_limit": 1}
        with pytest.raises(ValidationFailed):
            parse_rules([{"kind": "budget_caps", "caps": [cap]}])

    def test_a_cap_names_a_team_or_a_model(self) -> None:
        cap = {"period": "day", "currency": "USD", "soft_limit": 1, "hard_limit": 2}
        with pytest.raises(ValidationFailed):
            parse_rules([{"kind": "budget_caps", "caps": [cap]}])

    def test_a_token_over_two_hundred_characters_is_refused(self) -> None:
        with pytest.raises(ValidationFailed):
            parse_rules([{"kind": "prohibited_tokens", "tokens": ["x" * 201]}])

    def test_more_than_fifty_rules_are_refused(self) -> None:
        with pytest.raises(ValidationFailed):
            parse_rules([VALID["max_training_retries"]] * 51)
