"""Rejections: exceptions with a stable error code that become a rejected CommandResult."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from llmops_events.envelope import FieldError

# Stable error codes of the bus itself; services add their own domain codes.
INVALID_JSON = "invalid_json"
INVALID_ENVELOPE = "invalid_envelope"
UNKNOWN_COMMAND = "unknown_command"
INVALID_PAYLOAD = "invalid_payload"
PAYLOAD_TOO_LARGE = "payload_too_large"
UNAUTHENTICATED = "unauthenticated"
FORBIDDEN = "forbidden"
CONCURRENCY_CONFLICT = "concurrency_conflict"
INTERNAL_ERROR = "internal_error"


class CommandRejected(Exception):
    """Raise from a handler (or any check) to reject a command with a stable code."""

    def __init__(
        self,
        code: str,
        message: str,
        field_errors: Sequence[FieldError] = (),
        *,
        claimed_actor: str | None = None,
    ) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.field_errors = list(field_errors)
        # What could be read of the actor before verification; only for the audit record.
        self.claimed_actor = claimed_actor


def rejection_from(exc: Exception) -> CommandRejected | None:
    """What a client is told of a handler's exception with a `code`; None for a plain failure.

    Domain errors need not know the bus: a `code`, a `message` and `field_errors` given as
    FieldErrors or as a {field: problem} mapping are enough.
    """
    if isinstance(exc, CommandRejected):
        return exc
    code = getattr(exc, "code", None)
    if not isinstance(code, str):
        return None
    message = str(getattr(exc, "message", None) or exc)
    given = getattr(exc, "field_errors", None) or []
    if isinstance(given, Mapping):
        fields = [
            FieldError(loc=f"payload.{name}", message=str(problem), type=code)
            for name, problem in given.items()
        ]
    else:
        fields = [e if isinstance(e, FieldError) else FieldError.model_validate(e) for e in given]
    return CommandRejected(code, message, fields)
