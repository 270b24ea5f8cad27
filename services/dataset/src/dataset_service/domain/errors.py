"""The dataset service's own domain errors, each with the stable code its rejection carries."""

from llmops_domain.errors import DomainError


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
