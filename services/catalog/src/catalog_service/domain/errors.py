"""The catalog's own domain errors, each with the stable code its rejection carries."""

from collections.abc import Sequence

from llmops_domain.errors import DomainError


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
