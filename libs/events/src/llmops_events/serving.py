"""Contracts of the serving service: serving endpoints and their observations.

`serving.usage.recorded` is what the cost service prices: one event per endpoint and time
bucket of ingested request records, with the bucket's tokens and replica hours.
`serving.prompt_observations.recorded` is what the prompt service's experiments read: one
event per endpoint, time bucket and prompt template.
"""

from typing import Annotated, Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from llmops_events.base import CommandContract, EventContract, Name, Text, Uri

Environment = Name  # DEV, STG or PROD; the serving contracts narrow it.
DeployEnvironment = Literal["DEV", "STG", "PROD"]
EndpointStatus = Literal["deploying", "healthy", "degraded", "failed"]
TriggerMetric = Literal["cpu_utilization", "gpu_utilization", "latency_p95_ms", "error_rate"]
# Bounds: replicas of one endpoint, triggers of a policy, request records of one command.
MAX_REPLICAS = 1_000
MAX_TRIGGERS = 10
MAX_RECORDS = 10_000
Route = Annotated[str, Field(min_length=1, max_length=2_000)]


class AutoscaleTrigger(BaseModel):
    """Scale out (and, for latency and errors, count as degraded) past this threshold."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    metric: TriggerMetric
    threshold: float = Field(gt=0, le=1_000_000, allow_inf_nan=False)


class AutoscalePolicy(BaseModel):
    """The triggers of an endpoint's autoscaler: a CPU or GPU one and a latency one at least."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    triggers: list[AutoscaleTrigger] = Field(max_length=MAX_TRIGGERS)
    cooldown_s: int = Field(default=60, ge=0, le=86_400)


class RollbackPlan(BaseModel):
    """Where a rollback returns: a previous approved version of the model, and its backup."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    model_entry_id: UUID
    backup_reference: Uri = Field(
        min_length=1, description="Where the backup of the serving config lives."
    )


class ModelAliasRef(BaseModel):
    """A catalog alias of a model name (e.g. support-llm @ champion)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: Name
    alias: Name


class PromptLabelRef(BaseModel):
    """A label of a prompt name (e.g. support-greeting @ production): the prompt policy."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: Name
    label: Name


class PromptPolicy(BaseModel):
    """The prompt label an endpoint serves and the template it resolved to at deploy time."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    prompt_policy_id: UUID = Field(description="The prompt label's id in the prompt service.")
    name: Name
    label: Name
    prompt_template_id: UUID


class RequestRecord(BaseModel):
    """One request an endpoint served: its latency, tokens, whether it failed, its template."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    latency_ms: float = Field(ge=0, le=3_600_000, allow_inf_nan=False)
    tokens_in: int = Field(default=0, ge=0, le=10_000_000)
    tokens_out: int = Field(default=0, ge=0, le=10_000_000)
    error: bool = False
    prompt_template_id: UUID | None = None
    prompt_template_version: Name | None = None
    score: float | None = Field(
        default=None, allow_inf_nan=False, description="A quality score (CSAT, ROUGE...)."
    )
    timestamp: AwareDatetime


class MetricSummary(BaseModel):
    """Count, mean and sum of squared deviations of a sample (mergeable)."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    count: int = Field(ge=0)
    mean: float
    m2: float = Field(ge=0)


# --- events -------------------------------------------------------------------------------


class ServingEndpointDeployed(EventContract):
    """An endpoint was deployed on an approved model version (resolved from an alias if named)."""

    WIRE_NAME = "serving.endpoint.deployed"
    serving_endpoint_id: UUID
    model_entry_id: UUID
    model_name: Name
    model_version: Name
    model_alias: ModelAliasRef | None
    environment: DeployEnvironment
    route: Route
    min_replicas: int
    max_replicas: int
    autoscale_policy: AutoscalePolicy
    prompt_policy: PromptPolicy | None
    rollback_plan: RollbackPlan | None
    owner_team: Name
    deployed_by: Name
    deployed_at: AwareDatetime


class ServingEndpointHealthChecked(EventContract):
    """The prober called the endpoint's route: its status follows from the answer."""

    WIRE_NAME = "serving.endpoint.health_checked"
    serving_endpoint_id: UUID
    status: EndpointStatus
    previous_status: EndpointStatus
    latency_ms: float | None
    http_status: int | None
    detail: Text
    checked_at: AwareDatetime


class ServingEndpointDegraded(EventContract):
    """Observed traffic crossed the endpoint's latency or error-rate trigger."""

    WIRE_NAME = "serving.endpoint.degraded"
    serving_endpoint_id: UUID
    previous_status: EndpointStatus
    time_bucket: AwareDatetime
    latency_p95: float
    error_rate: float
    reason: Text


class ServingEndpointRolledBack(EventContract):
    """The endpoint went back to its rollback plan's version (it is deploying again)."""

    WIRE_NAME = "serving.endpoint.rolled_back"
    serving_endpoint_id: UUID
    from_model_entry_id: UUID
    model_entry_id: UUID
    model_name: Name
    model_version: Name
    backup_reference: Uri
    reason: Text
    rolled_back_by: Name
    rolled_back_at: AwareDatetime


class ObservationWindowOpened(EventContract):
    """The first records of an endpoint's time bucket arrived (internal)."""

    WIRE_NAME = "serving.observation_window.opened"
    observation_window_id: UUID
    serving_endpoint_id: UUID
    time_bucket: AwareDatetime
    bucket_seconds: int


class ServingObservationsRecorded(EventContract):
    """A batch of request records of one endpoint and time bucket (internal).

    Carries the batch's latency sketch (DDSketch bins, key -> count) and its sums, and the
    bucket's merged quantiles and totals after it, so a snapshot is one upsert.
    """

    WIRE_NAME = "serving.observations.recorded"
    observation_window_id: UUID
    serving_endpoint_id: UUID
    time_bucket: AwareDatetime
    bucket_seconds: int
    sketch_bins: dict[str, float] = Field(max_length=MAX_RECORDS)
    sketch_zero_count: float
    requests: int
    errors: int
    tokens_in: int
    tokens_out: int
    templates: dict[str, "TemplateSummary"] = Field(max_length=MAX_RECORDS)
    total_requests: int
    total_errors: int
    total_tokens_in: int
    total_tokens_out: int
    latency_p50: float
    latency_p95: float


class TemplateSummary(BaseModel):
    """What one prompt template's requests of a batch or bucket showed."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    prompt_template_version: Name | None = None
    latency_ms: MetricSummary
    score: MetricSummary
    errors: int = Field(ge=0)


ServingObservationsRecorded.model_rebuild()


class ObservationWindowClosed(EventContract):
    """A time bucket of an endpoint closed: its ObservabilitySnapshot is final."""

    WIRE_NAME = "serving.observation_window.closed"
    observation_window_id: UUID
    serving_endpoint_id: UUID
    time_bucket: AwareDatetime
    latency_p50: float
    latency_p95: float
    error_rate: float
    token_per_request: float
    requests: int
    notes: Text


class ServingUsageRecorded(EventContract):
    """An endpoint's usage in one time bucket [window_start, window_end): what cost prices."""

    WIRE_NAME = "serving.usage.recorded"
    serving_endpoint_id: UUID
    observation_window_id: UUID | None = None
    model_entry_id: UUID
    owner_team: Name
    environment: Environment
    window_start: AwareDatetime
    window_end: AwareDatetime
    requests: int = Field(ge=0)
    tokens_in: int = Field(ge=0)
    tokens_out: int = Field(ge=0)
    replica_hours: float = Field(ge=0)


class PromptObservationsRecorded(EventContract):
    """One prompt template's requests on an endpoint in one closed time bucket (for experiments)."""

    WIRE_NAME = "serving.prompt_observations.recorded"
    observation_window_id: UUID
    serving_endpoint_id: UUID
    prompt_template_id: UUID
    prompt_template_version: Name | None
    window_start: AwareDatetime
    window_end: AwareDatetime
    latency_ms: MetricSummary
    score: MetricSummary
    errors: int = Field(ge=0)


# --- commands -----------------------------------------------------------------------------


class DeployServingEndpoint(CommandContract):
    """Deploy an endpoint on an approved model version, named by id or by a catalog alias."""

    WIRE_NAME = "serving.deploy_endpoint"
    model_entry_id: UUID | None = None
    model_alias: ModelAliasRef | None = None
    environment: DeployEnvironment
    route: Route = Field(description="Base URL of the inference server, e.g. http://host:port/v1")
    min_replicas: int = Field(ge=1, le=MAX_REPLICAS)
    max_replicas: int = Field(ge=1, le=MAX_REPLICAS)
    autoscale_policy: AutoscalePolicy
    prompt_policy: PromptLabelRef | None = None
    rollback_plan: RollbackPlan | None = None
    owner_team: Name = Field(min_length=1)

    @model_validator(mode="after")
    def _one_model(self) -> "DeployServingEndpoint":
        if (self.model_entry_id is None) == (self.model_alias is None):
            raise ValueError("give exactly one of model_entry_id and model_alias")
        return self


class RollBackServingEndpoint(CommandContract):
    """Return an endpoint to its rollback plan's version."""

    WIRE_NAME = "serving.rollback_endpoint"
    serving_endpoint_id: UUID
    reason: Text = Field(min_length=1)


class ReportHealthCheck(CommandContract):
    """A prober's answer from the endpoint's route (the local prober records it in-process)."""

    WIRE_NAME = "serving.report_health_check"
    serving_endpoint_id: UUID
    reachable: bool
    http_status: int | None = Field(default=None, ge=100, le=599)
    latency_ms: float | None = Field(default=None, ge=0, le=3_600_000, allow_inf_nan=False)
    detail: Text = ""


class RecordServingObservations(CommandContract):
    """Record a batch of request records of an endpoint (up to MAX_RECORDS)."""

    WIRE_NAME = "serving.record_observations"
    serving_endpoint_id: UUID
    records: list[RequestRecord] = Field(min_length=1, max_length=MAX_RECORDS)


class CloseObservationWindows(CommandContract):
    """Close an endpoint's buckets that ended before `before` (the local closer does it too)."""

    WIRE_NAME = "serving.close_observation_windows"
    serving_endpoint_id: UUID
    before: AwareDatetime


EVENTS: tuple[type[EventContract], ...] = (
    ServingEndpointDeployed,
    ServingEndpointHealthChecked,
    ServingEndpointDegraded,
    ServingEndpointRolledBack,
    ObservationWindowClosed,
    ServingUsageRecorded,
    PromptObservationsRecorded,
    ObservationWindowOpened,
    ServingObservationsRecorded,
)
PUBLISHED: tuple[type[EventContract], ...] = EVENTS[:-2]
COMMANDS: tuple[type[CommandContract], ...] = (
    DeployServingEndpoint,
    RollBackServingEndpoint,
    ReportHealthCheck,
    RecordServingObservations,
    CloseObservationWindows,
)
