"""The rules a deployment must satisfy before an endpoint exists (pure: no I/O)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from urllib.parse import urlsplit

from llmops_events.serving import AutoscalePolicy
from serving_service.domain.errors import (
    AutoscaleTriggersRequired,
    InvalidReplicas,
    InvalidRollbackPlan,
    ModelNotApproved,
    RollbackPlanRequired,
    RouteNotAllowed,
)

MAX_REPLICAS = 1_000


@dataclass(frozen=True)
class KnownModel:
    """A model version as this service learned it from the catalog."""

    model_entry_id: str
    name: str
    version: str
    status: str


def normalized_route(route: str) -> str:
    """The route as stored and compared: no surrounding blanks, no trailing slash."""
    return route.strip().rstrip("/")


def check_route(route: str, allowed_hosts: Collection[str]) -> None:
    """An http(s) URL whose host the prober may call."""
    parts = urlsplit(route)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RouteNotAllowed(f"route {route[:200]!r} is not an http(s) URL")
    if parts.hostname.lower() not in {h.lower() for h in allowed_hosts}:
        raise RouteNotAllowed(
            f"host {parts.hostname[:200]!r} is not among LLMOPS_SERVING_PROBE_HOSTS",
            details={"allowed_hosts": sorted(allowed_hosts)[:20]},
        )


def check_replicas(min_replicas: int, max_replicas: int) -> None:
    """1 <= min_replicas <= max_replicas <= MAX_REPLICAS."""
    if not 1 <= min_replicas <= max_replicas <= MAX_REPLICAS:
        raise InvalidReplicas(
            f"need 1 <= min_replicas <= max_replicas <= {MAX_REPLICAS};"
            f" got {min_replicas} and {max_replicas}",
            field_errors={"min_replicas": "must be between 1 and max_replicas"},
        )


def check_autoscale(policy: AutoscalePolicy) -> None:
    """A CPU or GPU trigger and a latency trigger, each metric at most once."""
    metrics = [t.metric for t in policy.triggers]
    if len(set(metrics)) != len(metrics):
        raise AutoscaleTriggersRequired("each trigger metric may appear once")
    has_compute = {"cpu_utilization", "gpu_utilization"} & set(metrics)
    if not has_compute or "latency_p95_ms" not in metrics:
        raise AutoscaleTriggersRequired(
            "the autoscale policy needs a cpu_utilization or gpu_utilization trigger and a"
            f" latency_p95_ms trigger; it has {metrics}"
        )


def check_approved(model: KnownModel | None, what: str) -> KnownModel:
    """The model version, if approved."""
    if model is None or model.status != "approved":
        status = "unknown" if model is None else model.status
        raise ModelNotApproved(f"{what} is not approved in the catalog ({status})")
    return model


def check_rollback_plan(
    environment: str, model: KnownModel, target: KnownModel | None, has_plan: bool
) -> None:
    """PROD needs a plan; a plan names another approved version of the same model."""
    if not has_plan:
        if environment == "PROD":
            raise RollbackPlanRequired(
                "a PROD endpoint needs a rollback_plan: a previous approved version of the"
                " same model and a backup_reference"
            )
        return
    if target is None or target.status != "approved":
        raise InvalidRollbackPlan("the rollback plan's model version is not approved")
    if target.name != model.name or target.model_entry_id == model.model_entry_id:
        raise InvalidRollbackPlan(
            f"the rollback plan must name another version of {model.name!r},"
            f" not {target.name!r} {target.version!r}"
        )
