"""A rejection stays small enough for one reply, however many field errors its cause has."""

from __future__ import annotations

from llmops_events.envelope import FieldError
from llmops_runtime.commands.batch import _rejection_for
from llmops_runtime.commands.errors import CommandRejected
from llmops_runtime.rejections import MAX_FIELD_ERRORS


class Refused(Exception):
    """A domain error with a huge message and one problem per field."""

    code = "refused"

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("x" * 2_000_000)
        self.field_errors = problems


def test_a_domain_error_with_many_fields_is_capped() -> None:
    result = _rejection_for("c1", Refused({f"f{i}": "bad " * 1000 for i in range(50_000)}))
    assert result.code == "refused"
    assert len(result.field_errors) == MAX_FIELD_ERRORS + 1
    assert result.field_errors[-1].message == "...and 49900 more"
    assert len(result.model_dump_json()) < 300_000


def test_a_rejection_changed_after_raising_is_capped_too() -> None:
    rejection = CommandRejected("refused", "no")
    rejection.field_errors = [FieldError(loc=f"payload.f{i}", message="bad") for i in range(1000)]
    result = _rejection_for("c1", rejection)
    assert len(result.field_errors) == MAX_FIELD_ERRORS + 1


def test_an_unreadable_domain_error_is_an_internal_error() -> None:
    error = Refused({})
    error.field_errors = ["not a field error"]  # type: ignore[assignment]
    assert _rejection_for("c1", error).code == "internal_error"
