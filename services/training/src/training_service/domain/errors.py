"""The training service's own domain errors (generic ones come from llmops_domain.errors)."""

from llmops_domain.errors import DomainError


class ModelNotApproved(DomainError):
    """The base model is not (or no longer) approved in the catalog, as this service knows it."""

    code = "model_not_approved"


class DatasetNotApproved(DomainError):
    """A dataset version is not approved in the dataset service, as this service knows it."""

    code = "dataset_not_approved"


class JobFinished(DomainError):
    """The job succeeded, failed or was cancelled: nothing more can be recorded on it."""

    code = "job_finished"


class StaleAttempt(DomainError):
    """The report names an attempt that is not the job's current one."""

    code = "stale_attempt"


class ProgramNotAllowed(DomainError):
    """A `local` job names a program the local scheduler is not configured to run."""

    code = "program_not_allowed"
