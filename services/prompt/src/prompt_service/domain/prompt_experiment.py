"""PromptExperiment: an A/B test between two live templates, concluded by Welch's t-test."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from llmops_domain.errors import InvalidTransition, ValidationFailed
from llmops_events import prompt as contracts
from prompt_service.domain.conclusion import ALPHA, STATISTICAL_TEST, decide
from prompt_service.domain.errors import StopConditionNotMet
from prompt_service.domain.experiment_rules import VARIANTS, ensure_both_live, validate_experiment
from prompt_service.domain.observations import RunningStatistics, all_finite

NAMESPACE = uuid5(NAMESPACE_URL, "urn:llmops:prompt:experiment")


class PromptExperiment(Aggregate):
    """An experiment: running until a stop condition holds, then concluded once."""

    class Started(Aggregate.Created):
        wire_name: ClassVar[str] = contracts.PromptExperimentStarted.WIRE_NAME
        class_version: ClassVar[int] = contracts.PromptExperimentStarted.SCHEMA_VERSION
        prompt_experiment_id: str
        name: str
        template_a_id: str
        template_b_id: str
        allocation: dict[str, int]
        metric: str
        start_at: str
        end_at: str | None
        min_traffic_per_variant: int | None
        statistical_test: str
        alpha: float
        started_by: str

    class ObservationsRecorded(Aggregate.Event):
        wire_name: ClassVar[str] = contracts.PromptExperimentObservationsRecorded.WIRE_NAME
        class_version: ClassVar[int] = contracts.PromptExperimentObservationsRecorded.SCHEMA_VERSION
        prompt_experiment_id: str
        variant: str
        count: int
        mean: float
        m2: float

        def apply(self, aggregate: PromptExperiment) -> None:
            batch = RunningStatistics(self.count, self.mean, self.m2)
            aggregate.observations[self.variant] = aggregate.observations[self.variant].merge(batch)

    class Concluded(Aggregate.Event):
        wire_name: ClassVar[str] = contracts.PromptExperimentConcluded.WIRE_NAME
        class_version: ClassVar[int] = contracts.PromptExperimentConcluded.SCHEMA_VERSION
        prompt_experiment_id: str
        outcome: str
        winner_variant: str | None
        winner_template_id: str | None
        stop_condition: str
        statistical_test: str
        alpha: float
        t_statistic: float | None
        degrees_of_freedom: float | None
        p_value: float | None
        variants: dict[str, dict[str, Any]]
        concluded_by: str

        def apply(self, aggregate: PromptExperiment) -> None:
            aggregate.status = "concluded"
            aggregate.outcome = self.outcome
            aggregate.winner_template_id = self.winner_template_id
            aggregate.p_value = self.p_value

    def __init__(
        self,
        name: str,
        template_a_id: str,
        template_b_id: str,
        allocation: dict[str, int],
        metric: str,
        start_at: str,
        end_at: str | None,
        min_traffic_per_variant: int | None,
        alpha: float,
    ) -> None:
        self.name = name
        self.template_a_id = template_a_id
        self.template_b_id = template_b_id
        self.allocation = dict(allocation)
        self.metric = metric
        self.start_at = datetime.fromisoformat(start_at)
        self.end_at = None if end_at is None else datetime.fromisoformat(end_at)
        self.min_traffic_per_variant = min_traffic_per_variant
        self.alpha = alpha
        self.status = "running"
        self.observations = {variant: RunningStatistics() for variant in VARIANTS}
        self.outcome: str | None = None
        self.winner_template_id: str | None = None
        self.p_value: float | None = None

    @classmethod
    def id_for(cls, name: str) -> UUID:
        """The deterministic id of the experiment named `name`."""
        return uuid5(NAMESPACE, name)

    @classmethod
    def start(
        cls,
        *,
        name: str,
        template_a_id: str,
        template_b_id: str,
        template_a_status: str,
        template_b_status: str,
        allocation: Mapping[str, int],
        metric: str,
        start_at: datetime,
        end_at: datetime | None,
        min_traffic_per_variant: int | None,
        actor: str,
    ) -> PromptExperiment:
        """Start an experiment between two live templates with at least one stop condition."""
        validate_experiment(
            name=name,
            template_a_id=template_a_id,
            template_b_id=template_b_id,
            allocation=allocation,
            metric=metric,
            start_at=start_at,
            end_at=end_at,
            min_traffic_per_variant=min_traffic_per_variant,
        )
        ensure_both_live(template_a_status, template_b_status)
        experiment_id = cls.id_for(name)
        return cls._create(
            cls.Started,
            id=experiment_id,
            prompt_experiment_id=str(experiment_id),
            name=name,
            template_a_id=template_a_id,
            template_b_id=template_b_id,
            allocation={variant: allocation[variant] for variant in VARIANTS},
            metric=metric,
            start_at=start_at.isoformat(),
            end_at=None if end_at is None else end_at.isoformat(),
            min_traffic_per_variant=min_traffic_per_variant,
            statistical_test=STATISTICAL_TEST,
            alpha=ALPHA,
            started_by=actor,
        )

    def _require_running(self, action: str) -> None:
        if self.status != "running":
            raise InvalidTransition(action, self.status, ["running"], subject="prompt experiment")

    def record_observations(self, *, variant: str, values: Sequence[float]) -> None:
        """Record metric values observed for one variant, as one mergeable batch."""
        self._require_running("record observations for")
        if variant not in VARIANTS:
            raise ValidationFailed({"variant": 'must be "a" or "b"'})
        if not values or not all_finite(values):
            raise ValidationFailed({"values": "one or more finite numbers"})
        batch = RunningStatistics.of(values)
        self.trigger_event(
            self.ObservationsRecorded,
            prompt_experiment_id=str(self.id),
            variant=variant,
            count=batch.count,
            mean=batch.mean,
            m2=batch.m2,
        )

    def record_observation(self, *, variant: str, value: float) -> None:
        """Record one observed metric value for one variant."""
        self.record_observations(variant=variant, values=[value])

    def stop_condition_met(self, now: datetime) -> str | None:
        """The stop condition that holds at `now` ('end_at' or 'min_traffic'), if any."""
        if self.end_at is not None and now >= self.end_at:
            return "end_at"
        floor = self.min_traffic_per_variant
        if floor is not None and all(s.count >= floor for s in self.observations.values()):
            return "min_traffic"
        return None

    def conclude(self, *, now: datetime, actor: str) -> None:
        """Decide the experiment by Welch's t-test once a stop condition holds at `now`."""
        self._require_running("conclude")
        stop_condition = self.stop_condition_met(now)
        if stop_condition is None:
            counts = {v: s.count for v, s in self.observations.items()}
            raise StopConditionNotMet(
                "no stop condition holds yet: "
                f"end_at={self.end_at and self.end_at.isoformat()}, "
                f"min_traffic_per_variant={self.min_traffic_per_variant}, observations={counts}",
                details={"observations": counts, "now": now.isoformat()},
            )
        a, b = self.observations["a"], self.observations["b"]
        decision = decide(self.metric, a, b, self.alpha)
        templates = {"a": self.template_a_id, "b": self.template_b_id}
        self.trigger_event(
            self.Concluded,
            prompt_experiment_id=str(self.id),
            outcome=decision.outcome,
            winner_variant=decision.winner_variant,
            winner_template_id=templates.get(decision.winner_variant or ""),
            stop_condition=stop_condition,
            statistical_test=STATISTICAL_TEST,
            alpha=self.alpha,
            t_statistic=decision.t_statistic,
            degrees_of_freedom=decision.degrees_of_freedom,
            p_value=decision.p_value,
            variants={
                v: {"count": s.count, "mean": s.mean, "variance": s.variance}
                for v, s in self.observations.items()
            },
            concluded_by=actor,
        )
