"""Domain errors become rejections without knowing the bus."""

from __future__ import annotations

from llmops_events.envelope import FieldError
from llmops_runtime.rejections import CommandRejected, rejection_from


class Refused(Exception):
    """A domain error as services write them: code, message, field errors as a mapping."""

    code = "validation_failed"

    def __init__(self, field_errors: dict[str, str]) -> None:
        super().__init__("the model card is incomplete")
        self.message = "the model card is incomplete"
        self.field_errors = field_errors


def test_a_mapping_of_field_problems_becomes_one_field_error_per_field() -> None:
    rejection = rejection_from(Refused({"metadata.contact": "required", "version": "not semver"}))
    assert rejection is not None
    assert rejection.code == "validation_failed"
    assert rejection.message == "the model card is incomplete"
    assert rejection.field_errors == [
        FieldError(loc="payload.metadata.contact", message="required", type="validation_failed"),
        FieldError(loc="payload.version", message="not semver", type="validation_failed"),
    ]


def test_a_command_rejected_passes_through_unchanged() -> None:
    original = CommandRejected("forbidden", "no role", [FieldError(loc="actor", message="x")])
    assert rejection_from(original) is original


def test_an_exception_without_a_code_is_not_a_rejection() -> None:
    assert rejection_from(ValueError("bug")) is None
