"""The serving service's own domain errors (generic ones come from llmops_domain.errors)."""

from llmops_domain.errors import DomainError


class ModelNotApproved(DomainError):
    """The model version is not (or no longer) approved in the catalog, as this service knows it."""

    code = "model_not_approved"


class AliasNotFound(DomainError):
    """The catalog alias named points at no version, as this service knows it."""

    code = "model_alias_not_found"


class PromptLabelNotFound(DomainError):
    """The prompt label named points at no template, as this service knows it."""

    code = "prompt_label_not_found"


class RollbackPlanRequired(DomainError):
    """A PROD endpoint needs a rollback plan: a previous approved version and a backup."""

    code = "rollback_plan_required"


class InvalidRollbackPlan(DomainError):
    """The rollback plan's version is not a previous approved version of the same model."""

    code = "invalid_rollback_plan"


class AutoscaleTriggersRequired(DomainError):
    """The autoscale policy lacks a CPU or GPU trigger, or a latency trigger."""

    code = "autoscale_triggers_required"


class InvalidReplicas(DomainError):
    """min_replicas must be at least 1 and at most max_replicas."""

    code = "invalid_replicas"


class RouteTaken(DomainError):
    """Another endpoint of the environment serves this route."""

    code = "route_taken"


class RouteNotAllowed(DomainError):
    """The route is not an http(s) URL on a host the prober may call."""

    code = "route_not_allowed"


class WindowClosed(DomainError):
    """Records name a time bucket whose snapshot is already final."""

    code = "window_closed"


class RecordsInFuture(DomainError):
    """Records are time-stamped later than the service's clock allows."""

    code = "records_in_future"
