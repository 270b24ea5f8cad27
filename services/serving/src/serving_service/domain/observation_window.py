"""ObservationWindow: one endpoint's time bucket of request records, and its snapshot."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from llmops_events import serving as contracts
from serving_service.domain.errors import WindowClosed
from serving_service.domain.observations import (
    BucketBatch,
    TemplateTally,
    bucket_end,
    merge_templates,
)
from serving_service.domain.serving_endpoint import ServingEndpoint
from serving_service.domain.sketch import bins_of, empty_sketch, quantile, sketch_from, sketch_of

NAMESPACE = uuid5(NAMESPACE_URL, "urn:llmops:serving:observation-window")


class ObservationWindow(Aggregate):
    """Open while records arrive; closed once, publishing its snapshot and usage."""

    class Opened(Aggregate.Created):
        wire_name: ClassVar[str] = contracts.ObservationWindowOpened.WIRE_NAME
        class_version: ClassVar[int] = contracts.ObservationWindowOpened.SCHEMA_VERSION
        observation_window_id: str
        serving_endpoint_id: str
        time_bucket: str
        bucket_seconds: int

    class Recorded(Aggregate.Event):
        wire_name: ClassVar[str] = contracts.ServingObservationsRecorded.WIRE_NAME
        class_version: ClassVar[int] = contracts.ServingObservationsRecorded.SCHEMA_VERSION
        observation_window_id: str
        serving_endpoint_id: str
        time_bucket: str
        bucket_seconds: int
        sketch_bins: dict[str, float]
        sketch_zero_count: float
        requests: int
        errors: int
        tokens_in: int
        tokens_out: int
        templates: dict[str, dict[str, Any]]
        total_requests: int
        total_errors: int
        total_tokens_in: int
        total_tokens_out: int
        latency_p50: float
        latency_p95: float

        def apply(self, aggregate: ObservationWindow) -> None:
            aggregate.absorb(self.sketch_bins, self.sketch_zero_count, self.templates)
            aggregate.requests, aggregate.errors = self.total_requests, self.total_errors
            aggregate.tokens_in, aggregate.tokens_out = self.total_tokens_in, self.total_tokens_out

    class Closed(Aggregate.Event):
        wire_name: ClassVar[str] = contracts.ObservationWindowClosed.WIRE_NAME
        class_version: ClassVar[int] = contracts.ObservationWindowClosed.SCHEMA_VERSION
        observation_window_id: str
        serving_endpoint_id: str
        time_bucket: str
        latency_p50: float
        latency_p95: float
        error_rate: float
        token_per_request: float
        requests: int
        notes: str

        def apply(self, aggregate: ObservationWindow) -> None:
            aggregate.closed = True

    class UsageRecorded(Aggregate.Event):
        wire_name: ClassVar[str] = contracts.ServingUsageRecorded.WIRE_NAME
        class_version: ClassVar[int] = contracts.ServingUsageRecorded.SCHEMA_VERSION
        observation_window_id: str
        serving_endpoint_id: str
        model_entry_id: str
        owner_team: str
        environment: str
        window_start: str
        window_end: str
        requests: int
        tokens_in: int
        tokens_out: int
        replica_hours: float

    class PromptObserved(Aggregate.Event):
        wire_name: ClassVar[str] = contracts.PromptObservationsRecorded.WIRE_NAME
        class_version: ClassVar[int] = contracts.PromptObservationsRecorded.SCHEMA_VERSION
        observation_window_id: str
        serving_endpoint_id: str
        prompt_template_id: str
        prompt_template_version: str | None
        window_start: str
        window_end: str
        latency_ms: dict[str, Any]
        score: dict[str, Any]
        errors: int

    def __init__(
        self, observation_window_id: str, serving_endpoint_id: str, time_bucket: str,
        bucket_seconds: int,
    ) -> None:  # fmt: skip
        self.serving_endpoint_id = UUID(serving_endpoint_id)
        self.time_bucket = datetime.fromisoformat(time_bucket)
        self.bucket_seconds = bucket_seconds
        self.sketch = empty_sketch()
        self.templates: dict[str, TemplateTally] = {}
        self.closed = False
        self.requests = self.errors = self.tokens_in = self.tokens_out = 0

    def absorb(
        self, bins: dict[str, float], zeros: float, templates: dict[str, dict[str, Any]]
    ) -> None:
        """Merge a batch's sketch and template tallies into the window's."""
        self.sketch.merge(sketch_from(bins, zeros))
        batch = {k: TemplateTally.of_json(v) for k, v in templates.items()}
        self.templates = merge_templates(self.templates, batch)

    @classmethod
    def id_for(cls, serving_endpoint_id: UUID, time_bucket: datetime) -> UUID:
        """The deterministic id of an endpoint's bucket."""
        return uuid5(NAMESPACE, f"{serving_endpoint_id}|{time_bucket.isoformat()}")

    @classmethod
    def open(
        cls, serving_endpoint_id: UUID, time_bucket: datetime, bucket_seconds: int,
        batch: BucketBatch,
    ) -> ObservationWindow:  # fmt: skip
        """A window opened by its first batch of records."""
        window_id = cls.id_for(serving_endpoint_id, time_bucket)
        window = cls._create(
            cls.Opened, id=window_id, observation_window_id=str(window_id),
            serving_endpoint_id=str(serving_endpoint_id), time_bucket=time_bucket.isoformat(),
            bucket_seconds=bucket_seconds,
        )  # fmt: skip
        window.record(batch)
        return window

    def record(self, batch: BucketBatch) -> None:
        """Another batch of records of this bucket."""
        if self.closed:
            raise WindowClosed(f"the bucket {self.time_bucket.isoformat()} is closed")
        totals = (self.requests, self.errors, self.tokens_in, self.tokens_out)
        fields = _batch_fields(batch, self.sketch, self.templates, totals)
        self.trigger_event(
            self.Recorded, observation_window_id=str(self.id),
            serving_endpoint_id=str(self.serving_endpoint_id),
            time_bucket=self.time_bucket.isoformat(), bucket_seconds=self.bucket_seconds,
            **fields,
        )  # fmt: skip

    @property
    def end(self) -> datetime:
        """The bucket's exclusive end."""
        return bucket_end(self.time_bucket, self.bucket_seconds)

    def snapshot(self) -> dict[str, float]:
        """p50 and p95 latency (ms), error rate, tokens per request so far."""
        n = self.requests
        return {
            "latency_p50": quantile(self.sketch, 0.5), "latency_p95": quantile(self.sketch, 0.95),
            "error_rate": self.errors / n if n else 0.0,
            "token_per_request": (self.tokens_in + self.tokens_out) / n if n else 0.0,
        }  # fmt: skip

    def close(self, endpoint: ServingEndpoint) -> None:
        """The final snapshot, the bucket's usage, and each prompt template's observations."""
        if self.closed:
            return
        snap = self.snapshot()
        breach = endpoint.breached(snap["latency_p95"], snap["error_rate"])
        notes = f"over the endpoint's triggers: {breach}" if breach else ""
        start, end = self.time_bucket.isoformat(), self.end.isoformat()
        self.trigger_event(
            self.Closed, observation_window_id=str(self.id),
            serving_endpoint_id=str(self.serving_endpoint_id), time_bucket=start,
            requests=self.requests, notes=notes, **snap,
        )  # fmt: skip
        self.trigger_event(
            self.UsageRecorded, observation_window_id=str(self.id),
            serving_endpoint_id=str(endpoint.id),
            model_entry_id=endpoint.model_entry_id, owner_team=endpoint.owner_team,
            environment=endpoint.environment, window_start=start, window_end=end,
            requests=self.requests, tokens_in=self.tokens_in, tokens_out=self.tokens_out,
            # The floor the endpoint keeps provisioned over the bucket.
            replica_hours=endpoint.min_replicas * self.bucket_seconds / 3600,
        )  # fmt: skip
        for template_id, tally in sorted(self.templates.items()):
            self.trigger_event(
                self.PromptObserved, observation_window_id=str(self.id),
                serving_endpoint_id=str(endpoint.id),
                prompt_template_id=template_id, window_start=start, window_end=end,
                **tally.as_json(),
            )  # fmt: skip


def _batch_fields(
    batch: BucketBatch,
    sketch: Any,
    templates: dict[str, TemplateTally],
    totals: tuple[int, int, int, int],
) -> dict[str, Any]:
    """A batch's event fields: its sketch and sums, and the window's totals after it."""
    batch_sketch = sketch_of(batch.latencies)
    bins, zeros = bins_of(batch_sketch)
    merged = sketch_from(*bins_of(sketch))
    merged.merge(batch_sketch)
    requests, errors, tokens_in, tokens_out = totals
    return {
        "sketch_bins": bins, "sketch_zero_count": zeros, "requests": len(batch.latencies),
        "errors": batch.errors, "tokens_in": batch.tokens_in, "tokens_out": batch.tokens_out,
        "templates": {k: v.as_json() for k, v in batch.templates.items()},
        "total_requests": requests + len(batch.latencies), "total_errors": errors + batch.errors,
        "total_tokens_in": tokens_in + batch.tokens_in,
        "total_tokens_out": tokens_out + batch.tokens_out,
        "latency_p50": quantile(merged, 0.5), "latency_p95": quantile(merged, 0.95),
    }  # fmt: skip
