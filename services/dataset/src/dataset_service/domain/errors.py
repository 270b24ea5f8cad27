"""Domain errors of the dataset service: each has a stable code for the rejection."""

from collections.abc import Mapping
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


class PiiScanNotClean(DomainError):
    """Approval needs a clean PII scan."""

    code = "pii_scan_not_clean"

    def __init__(self, pii_scan_status: str) -> None:
        super().__init__(
            f"a dataset version is approved only after a clean PII scan; it is {pii_scan_status}",
            field_errors={"pii_scan_status": f"is {pii_scan_status}, must be clean"},
            details={"pii_scan_status": pii_scan_status},
        )


class ImmutableSnapshot(DomainError):
    """An approved dataset version is an immutable snapshot: nothing about it may change."""

    code = "immutable_snapshot"

    def __init__(self, action: str) -> None:
        super().__init__(
            f"cannot {action}: the dataset version is approved and is an immutable snapshot; "
            "register a new version instead",
            details={"action": action},
        )


class DuplicateVersion(DomainError):
    """A dataset version with this (name, version) already exists."""

    code = "duplicate_version"


class NotFound(DomainError):
    """The dataset version the command names does not exist."""

    code = "not_found"
