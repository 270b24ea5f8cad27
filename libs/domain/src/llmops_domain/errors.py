"""Generic domain errors: each has a stable code the command bus puts in a rejection.

These are only the shapes every service shares. A service's own rules (and their codes) stay in
its `domain/errors.py`, which subclasses `DomainError` and re-exports these.
"""

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
    """The command does not apply to the aggregate's current status; `subject` names its kind."""

    code = "invalid_transition"

    def __init__(
        self, action: str, status: str, allowed_from: Sequence[str], *, subject: str
    ) -> None:
        allowed = ", ".join(allowed_from)
        super().__init__(
            f"cannot {action} a {subject} that is {status}; allowed from: {allowed}",
            details={"action": action, "status": status, "allowed_from": list(allowed_from)},
        )


class DuplicateVersion(DomainError):
    """A version (or other uniquely keyed aggregate) with this key already exists."""

    code = "duplicate_version"


class NotFound(DomainError):
    """The aggregate the command names does not exist."""

    code = "not_found"


class SeparationOfDuties(DomainError):
    """The actor took an earlier part in this resource's path (registered or submitted it)."""

    code = "separation_of_duties"

    def __init__(self, actor: str, action: str, subject: str, roles: Sequence[str]) -> None:
        super().__init__(
            f"{actor} {' and '.join(roles)} this {subject} and so cannot {action} it:"
            " another actor must",
            details={"actor": actor, "earlier_roles": list(roles)},
        )


class PolicyReviewOverdue(DomainError):
    """A policy governing the action was not reviewed in time; the action waits for a review."""

    code = "policy_review_overdue"

    def __init__(self, policy_name: str, due: str) -> None:
        super().__init__(
            f"policy {policy_name!r} was due for review on {due}; a review must record a "
            "decision before the actions it governs are allowed again",
            details={"policy": policy_name, "due": due},
        )
