"""Domain errors of the prompt service: each has a stable code for the rejection."""

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar


class DomainError(Exception):
    """A command refused by a domain rule; `code` is stable, the message is for people."""

    code: ClassVar[str] = "domain_error"

    def __init__(
        self,
        message: str,
        *,
        field_errors: Mapping[str, str] | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field_errors: dict[str, str] = dict(field_errors or {})
        self.details: dict[str, Any] = dict(details or {})


class ValidationFailed(DomainError):
    """One or more fields break a validation rule; `field_errors` names each."""

    code = "validation_failed"

    def __init__(self, field_errors: Mapping[str, str]) -> None:
        summary = "; ".join(f"{field}: {problem}" for field, problem in field_errors.items())
        super().__init__(f"validation failed: {summary}", field_errors=field_errors)


class InvalidTransition(DomainError):
    """The command does not apply to the aggregate's current status."""

    code = "invalid_transition"

    def __init__(self, action: str, subject: str, status: str, allowed_from: Sequence[str]) -> None:
        super().__init__(
            f"cannot {action} a {subject} that is {status}; "
            f"allowed from: {', '.join(allowed_from)}",
            details={"action": action, "status": status, "allowed_from": list(allowed_from)},
        )


class ProhibitedTokens(DomainError):
    """The content contains prohibited tokens; `tokens` names each offending one."""

    code = "prohibited_tokens"

    def __init__(self, tokens: Sequence[str]) -> None:
        self.tokens = list(tokens)
        listed = ", ".join(repr(t) for t in self.tokens)
        super().__init__(
            f"the content contains prohibited tokens: {listed}",
            field_errors={"content": f"contains prohibited tokens: {listed}"},
            details={"tokens": self.tokens},
        )


class TargetNotLive(DomainError):
    """A label or an experiment may only use live template versions."""

    code = "template_not_live"


class StopConditionNotMet(DomainError):
    """An experiment concludes only once one of its stop conditions holds."""

    code = "stop_condition_not_met"


class DuplicateVersion(DomainError):
    """A template version or experiment with this key already exists."""

    code = "duplicate_version"


class NotFound(DomainError):
    """The aggregate the command names does not exist."""

    code = "not_found"
