"""ExperimentMetricBatch: one batch of a job's ExperimentMetric points, recorded once."""

from __future__ import annotations

from typing import Any, ClassVar
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate

from llmops_events import training as contracts


class ExperimentMetricBatch(Aggregate):
    """Metric points of one attempt; a stream of its own keeps the job's stream short."""

    class Recorded(Aggregate.Created):
        wire_name: ClassVar[str] = contracts.TrainingMetricsRecorded.WIRE_NAME
        class_version: ClassVar[int] = contracts.TrainingMetricsRecorded.SCHEMA_VERSION
        metric_batch_id: str
        training_job_id: str
        attempt: int
        names: list[str]
        steps: list[int]
        values: list[float]
        units: list[str | None] | None
        timestamps: list[str | None] | None
        recorded_by: str

    def __init__(
        self,
        metric_batch_id: str,
        training_job_id: str,
        attempt: int,
        names: list[str],
        steps: list[int],
        values: list[float],
        units: list[str | None] | None,
        timestamps: list[str | None] | None,
        recorded_by: str,
    ) -> None:
        self.training_job_id = training_job_id
        self.attempt = attempt
        self.count = len(names)
        self.recorded_by = recorded_by

    @classmethod
    def record(
        cls, *, training_job_id: UUID, attempt: int, points: list[dict[str, Any]], actor: str
    ) -> ExperimentMetricBatch:
        """A new batch of points (dicts of name, step, value[, unit, timestamp]), stored by
        column (the job's rules are checked by TrainingJob.check_metrics)."""
        batch_id = uuid4()
        units = [p.get("unit") for p in points]
        stamps = [p.get("timestamp") for p in points]
        return cls._create(
            cls.Recorded, id=batch_id, metric_batch_id=str(batch_id),
            training_job_id=str(training_job_id), attempt=attempt,
            names=[p["name"] for p in points], steps=[p["step"] for p in points],
            values=[p["value"] for p in points],
            units=units if any(u is not None for u in units) else None,
            timestamps=stamps if any(t is not None for t in stamps) else None,
            recorded_by=actor,
        )  # fmt: skip
