"""Domain errors of the catalog: each has a stable code the command bus puts in a rejection.

The generic shapes (DomainError, ValidationFailed, ...) are imported from `llmops_domain`
where they are used; only this service's own errors are defined here.
"""

from collections.abc import Sequence

from llmops_domain.errors import DomainError

__all__ = [
    "AliasTargetNotApproved",
    "MissingEvaluations",
]


class MissingEvaluations(DomainError):
    """Approval lacks the completed evaluations it requires; `missing` says which kinds."""

    code = "missing_evaluations"

    def __init__(self, missing: Sequence[str]) -> None:
        self.missing = list(missing)
        super().__init__(
            "approval needs at least one completed automated evaluation and at least one "
            f"completed human or llm_judge evaluation of this version; missing: "
            f"{', '.join(self.missing)}",
            field_errors={"evaluations": f"missing {' and '.join(self.missing)}"},
            details={"missing": self.missing},
        )


class AliasTargetNotApproved(DomainError):
    """An alias may only point at an approved version of the same model name."""

    code = "alias_target_not_approved"
