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

# A rejection must fit in one reply message: the bus keeps this many field errors and texts.
MAX_FIELD_ERRORS = 100
MAX_TEXT_CHARS = 1000


def short_text(text: str, limit: int = MAX_TEXT_CHARS) -> str:
    """text cut to limit characters, marked when cut."""
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text) - limit} more chars)"


TOO_MANY_ERRORS = "too_many_errors"


def capped_field_errors(
    field_errors: Sequence[FieldError], total: int | None = None
) -> list[FieldError]:
    """The first MAX_FIELD_ERRORS (of total) field errors, texts cut, then "...and N more"."""
    if len(field_errors) == MAX_FIELD_ERRORS + 1 and field_errors[-1].type == TOO_MANY_ERRORS:
        return list(field_errors)  # capped already
    kept = [
        FieldError(loc=short_text(e.loc), message=short_text(e.message), type=short_text(e.type))
        for e in field_errors[:MAX_FIELD_ERRORS]
    ]
    more = (len(field_errors) if total is None else total) - len(kept)
    if more > 0:
        kept.append(FieldError(loc="", message=f"...and {more} more", type=TOO_MANY_ERRORS))
    return kept


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
        message = short_text(str(message))
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.field_errors = capped_field_errors(field_errors)
        # What could be read of the actor before verification; only for the audit record.
        self.claimed_actor = claimed_actor


def rejection_from(exc: Exception) -> CommandRejected | None:
    """What a client is told of a handler's exception with a `code`; None for a plain failure.

    Domain errors need not know the bus: a `code`, a `message` and `field_errors` given as
    FieldErrors or as a {field: problem} mapping are enough; anything unreadable gives None.
    """
    if isinstance(exc, CommandRejected):
        return exc
    code = getattr(exc, "code", None)
    if not isinstance(code, str):
        return None
    try:
        message = str(getattr(exc, "message", None) or exc)
        given = getattr(exc, "field_errors", None) or []
        if isinstance(given, Mapping):
            fields = [
                FieldError(loc=f"payload.{name}", message=str(problem), type=code)
                for name, problem in given.items()
            ]
        else:
            fields = [
                e if isinstance(e, FieldError) else FieldError.model_validate(e) for e in given
            ]
    except Exception:  # a malformed domain error is a plain failure, not a crash of the bus
        return None
    return CommandRejected(code, message, fields)
