"""The generic domain errors keep their codes, messages, field errors and details."""

from __future__ import annotations

from llmops_domain.errors import (
    DomainError,
    DuplicateVersion,
    InvalidTransition,
    NotFound,
    ValidationFailed,
)


def test_each_generic_error_has_its_stable_code() -> None:
    assert DomainError.code == "domain_error"
    assert ValidationFailed.code == "validation_failed"
    assert InvalidTransition.code == "invalid_transition"
    assert DuplicateVersion.code == "duplicate_version"
    assert NotFound.code == "not_found"


def test_validation_failed_names_each_field() -> None:
    error = ValidationFailed({"version": "not semver", "owner_team": "required"})
    assert error.message == "validation failed: version: not semver; owner_team: required"
    assert error.field_errors == {"version": "not semver", "owner_team": "required"}
    assert error.details == {}


def test_invalid_transition_says_what_and_from_where() -> None:
    error = InvalidTransition("approve", "draft", ["under_review"], subject="model version")
    assert str(error) == "cannot approve a model version that is draft; allowed from: under_review"
    assert error.details == {
        "action": "approve",
        "status": "draft",
        "allowed_from": ["under_review"],
    }
    assert error.field_errors == {}
