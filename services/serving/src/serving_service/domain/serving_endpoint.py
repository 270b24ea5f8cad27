"""ServingEndpoint: an inference route on an approved model version, its health and rollback."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from llmops_events import serving as contracts
from serving_service.domain.deployment_rules import KnownModel
from serving_service.domain.errors import InvalidRollbackPlan, ModelNotApproved
from serving_service.domain.health import ProbeAnswer, status_of

NAMESPACE = uuid5(NAMESPACE_URL, "urn:llmops:serving:endpoint")


class ServingEndpoint(Aggregate):
    """One endpoint per environment and route (its id derives from both)."""

    class Deployed(Aggregate.Created):
        wire_name: ClassVar[str] = contracts.ServingEndpointDeployed.WIRE_NAME
        class_version: ClassVar[int] = contracts.ServingEndpointDeployed.SCHEMA_VERSION
        serving_endpoint_id: str
        model_entry_id: str
        model_name: str
        model_version: str
        model_alias: dict[str, Any] | None
        environment: str
        route: str
        min_replicas: int
        max_replicas: int
        autoscale_policy: dict[str, Any]
        prompt_policy: dict[str, Any] | None
        rollback_plan: dict[str, Any] | None
        owner_team: str
        deployed_by: str
        deployed_at: str

    class HealthChecked(Aggregate.Event):
        wire_name: ClassVar[str] = contracts.ServingEndpointHealthChecked.WIRE_NAME
        class_version: ClassVar[int] = contracts.ServingEndpointHealthChecked.SCHEMA_VERSION
        serving_endpoint_id: str
        status: str
        previous_status: str
        latency_ms: float | None
        http_status: int | None
        detail: str
        checked_at: str

        def apply(self, aggregate: ServingEndpoint) -> None:
            aggregate.status = self.status
            aggregate.last_health_check = datetime.fromisoformat(self.checked_at)

    class Degraded(Aggregate.Event):
        wire_name: ClassVar[str] = contracts.ServingEndpointDegraded.WIRE_NAME
        class_version: ClassVar[int] = contracts.ServingEndpointDegraded.SCHEMA_VERSION
        serving_endpoint_id: str
        previous_status: str
        time_bucket: str
        latency_p95: float
        error_rate: float
        reason: str

        def apply(self, aggregate: ServingEndpoint) -> None:
            aggregate.status = "degraded"

    class RolledBack(Aggregate.Event):
        wire_name: ClassVar[str] = contracts.ServingEndpointRolledBack.WIRE_NAME
        class_version: ClassVar[int] = contracts.ServingEndpointRolledBack.SCHEMA_VERSION
        serving_endpoint_id: str
        from_model_entry_id: str
        model_entry_id: str
        model_name: str
        model_version: str
        backup_reference: str
        reason: str
        rolled_back_by: str
        rolled_back_at: str

        def apply(self, aggregate: ServingEndpoint) -> None:
            aggregate.model_entry_id = self.model_entry_id
            aggregate.model_version = self.model_version
            aggregate.rollback_plan = None  # spent: the version it named now serves
            aggregate.status = "deploying"

    def __init__(
        self,
        serving_endpoint_id: str,
        model_entry_id: str,
        model_name: str,
        model_version: str,
        model_alias: dict[str, Any] | None,
        environment: str,
        route: str,
        min_replicas: int,
        max_replicas: int,
        autoscale_policy: dict[str, Any],
        prompt_policy: dict[str, Any] | None,
        rollback_plan: dict[str, Any] | None,
        owner_team: str,
        deployed_by: str,
        deployed_at: str,
    ) -> None:
        self.model_entry_id = model_entry_id
        self.model_name = model_name
        self.model_version = model_version
        self.model_alias = model_alias
        self.environment = environment
        self.route = route
        self.min_replicas = min_replicas
        self.max_replicas = max_replicas
        self.autoscale_policy = autoscale_policy
        self.prompt_policy = prompt_policy
        self.rollback_plan = rollback_plan
        self.owner_team = owner_team
        self.deployed_by = deployed_by
        self.deployed_at = datetime.fromisoformat(deployed_at)
        self.status = "deploying"
        self.last_health_check: datetime | None = None

    @classmethod
    def id_for(cls, environment: str, route: str) -> UUID:
        """The deterministic id of the endpoint serving `route` in `environment`."""
        return uuid5(NAMESPACE, f"{environment}|{route}")

    @classmethod
    def deploy(
        cls,
        *,
        model: KnownModel,
        model_alias: dict[str, Any] | None,
        environment: str,
        route: str,
        min_replicas: int,
        max_replicas: int,
        autoscale_policy: dict[str, Any],
        prompt_policy: dict[str, Any] | None,
        rollback_plan: dict[str, Any] | None,
        owner_team: str,
        actor: str,
        now: datetime,
    ) -> ServingEndpoint:
        """A deploying endpoint (the handler checked the deployment rules first)."""
        endpoint_id = cls.id_for(environment, route)
        return cls._create(
            cls.Deployed, id=endpoint_id, serving_endpoint_id=str(endpoint_id),
            model_entry_id=model.model_entry_id, model_name=model.name,
            model_version=model.version, model_alias=model_alias, environment=environment,
            route=route, min_replicas=min_replicas, max_replicas=max_replicas,
            autoscale_policy=autoscale_policy, prompt_policy=prompt_policy,
            rollback_plan=rollback_plan, owner_team=owner_team, deployed_by=actor,
            deployed_at=now.isoformat(),
        )  # fmt: skip

    def threshold(self, metric: str) -> float | None:
        """The threshold of the policy's trigger on this metric, if it has one."""
        for trigger in self.autoscale_policy.get("triggers", []):
            if trigger["metric"] == metric:
                return float(trigger["threshold"])
        return None

    def record_health_check(self, answer: ProbeAnswer, now: datetime) -> None:
        """The prober's answer: failed, degraded (slow or refusing) or healthy."""
        status, detail = status_of(answer, self.threshold("latency_p95_ms"))
        self.trigger_event(
            self.HealthChecked, serving_endpoint_id=str(self.id), status=status,
            previous_status=self.status, latency_ms=answer.latency_ms,
            http_status=answer.http_status, detail=detail[:2_000], checked_at=now.isoformat(),
        )  # fmt: skip

    def breached(self, latency_p95: float, error_rate: float) -> str | None:
        """Why observed traffic crosses the endpoint's triggers, or None."""
        reasons = []
        latency = self.threshold("latency_p95_ms")
        if latency is not None and latency_p95 > latency:
            reasons.append(f"p95 latency {latency_p95:.1f} ms over {latency:g} ms")
        errors = self.threshold("error_rate")
        if errors is not None and error_rate > errors:
            reasons.append(f"error rate {error_rate:.3f} over {errors:g}")
        return "; ".join(reasons) or None

    def degrade_on_traffic(
        self, time_bucket: datetime, latency_p95: float, error_rate: float
    ) -> bool:
        """Turn degraded when a bucket's traffic crosses the triggers (healthy or deploying)."""
        reason = self.breached(latency_p95, error_rate)
        if reason is None or self.status not in ("healthy", "deploying"):
            return False
        self.trigger_event(
            self.Degraded, serving_endpoint_id=str(self.id), previous_status=self.status,
            time_bucket=time_bucket.isoformat(), latency_p95=latency_p95,
            error_rate=error_rate, reason=reason,
        )  # fmt: skip
        return True

    def roll_back(
        self, *, target: KnownModel | None, reason: str, actor: str, now: datetime
    ) -> None:
        """Return to the rollback plan's version, in one event; the prober checks it again."""
        if self.rollback_plan is None:
            raise InvalidRollbackPlan("the endpoint has no rollback plan (left) to return to")
        planned = self.rollback_plan["model_entry_id"]
        if target is None or target.model_entry_id != planned or target.status != "approved":
            raise ModelNotApproved(f"the rollback plan's version {planned} is no longer approved")
        self.trigger_event(
            self.RolledBack, serving_endpoint_id=str(self.id),
            from_model_entry_id=self.model_entry_id, model_entry_id=target.model_entry_id,
            model_name=target.name, model_version=target.version,
            backup_reference=self.rollback_plan["backup_reference"], reason=reason,
            rolled_back_by=actor, rolled_back_at=now.isoformat(),
        )  # fmt: skip
