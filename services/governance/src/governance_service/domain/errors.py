"""The governance service's own domain errors (the generic ones come from llmops_domain)."""

from llmops_domain.errors import DomainError


class PolicyReviewOverdue(DomainError):
    """The policy governing an action was not reviewed in time; the action waits for a review."""

    code = "policy_review_overdue"

    def __init__(self, policy_name: str, due: str) -> None:
        super().__init__(
            f"policy {policy_name!r} was due for review on {due}; a review must record a "
            "decision before the actions it governs are allowed again",
            details={"policy": policy_name, "due": due},
        )
