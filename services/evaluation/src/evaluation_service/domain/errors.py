"""The evaluation service's own domain errors, each with the stable code its rejection carries."""

from llmops_domain.errors import DomainError


class UnknownDatasetVersion(DomainError):
    """The dataset version is unknown here (never registered, or its event not seen yet)."""

    code = "unknown_dataset_version"


class DatasetNotApproved(DomainError):
    """Only an approved dataset version (an immutable snapshot) may be the benchmark."""

    code = "dataset_not_approved"


class NoItemsScored(DomainError):
    """A human or judge run completes only once at least one item was scored."""

    code = "no_items_scored"


class TooManyItems(DomainError):
    """A run scores at most RUN_ITEMS_MAX distinct items."""

    code = "too_many_items"


class JudgeMismatch(DomainError):
    """Every judge submission of a run names the same judge model and prompt digest."""

    code = "judge_mismatch"


class WrongRunType(DomainError):
    """The command applies to another type of run (e.g. human scores on an automated run)."""

    code = "wrong_run_type"
