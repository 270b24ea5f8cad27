"""Domain errors of the governance service: each has a stable code for the rejection."""

from llmops_domain.errors import (
    DomainError,
    DuplicateVersion,
    InvalidTransition,
    NotFound,
    ValidationFailed,
)

__all__ = [
    "DomainError",
    "DuplicateVersion",
    "InvalidTransition",
    "NotFound",
    "PolicyReviewOverdue",
    "ValidationFailed",
]


class PolicyReviewOverdue(DomainError):
    """The policy governing an action was not reviewed in time; the action waits for a review."""

    code = "policy_review_overdue"

    def __init__(self, policy_name: str, due: str) -> None:
        super().__init__(
            f"policy {policy_name!r} was due for review on {due}; a review must record a "
            "decision before the actions it governs are allowed again",
            details={"policy": policy_name, "due": due},
        )
