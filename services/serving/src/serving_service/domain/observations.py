"""Request records grouped by time bucket, and mergeable summaries of their metrics (pure)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from llmops_events.serving import RequestRecord


@dataclass(frozen=True)
class Summary:
    """Count, mean and sum of squared deviations (Chan et al. merge)."""

    count: int = 0
    mean: float = 0.0
    m2: float = 0.0

    def add(self, value: float) -> Summary:
        """With one more value (Welford)."""
        count = self.count + 1
        delta = value - self.mean
        mean = self.mean + delta / count
        return Summary(count, mean, self.m2 + delta * (value - mean))

    def merge(self, other: Summary) -> Summary:
        """The summary of both samples."""
        if other.count == 0:
            return self
        if self.count == 0:
            return other
        count = self.count + other.count
        delta = other.mean - self.mean
        mean = self.mean + delta * other.count / count
        return Summary(
            count, mean, self.m2 + other.m2 + delta * delta * self.count * other.count / count
        )

    def as_json(self) -> dict[str, Any]:
        """The wire form (MetricSummary)."""
        return {"count": self.count, "mean": self.mean, "m2": max(0.0, self.m2)}

    @classmethod
    def of_json(cls, value: Mapping[str, Any]) -> Summary:
        """From the wire form."""
        return cls(int(value["count"]), float(value["mean"]), float(value["m2"]))


@dataclass
class TemplateTally:
    """One prompt template's requests: latency and score summaries, errors."""

    version: str | None = None
    latency: Summary = field(default_factory=Summary)
    score: Summary = field(default_factory=Summary)
    errors: int = 0

    def merge(self, other: TemplateTally) -> TemplateTally:
        """Both tallies together."""
        return TemplateTally(
            other.version or self.version, self.latency.merge(other.latency),
            self.score.merge(other.score), self.errors + other.errors,
        )  # fmt: skip

    def as_json(self) -> dict[str, Any]:
        """The wire form (TemplateSummary)."""
        return {
            "prompt_template_version": self.version, "latency_ms": self.latency.as_json(),
            "score": self.score.as_json(), "errors": self.errors,
        }  # fmt: skip

    @classmethod
    def of_json(cls, value: Mapping[str, Any]) -> TemplateTally:
        """From the wire form."""
        return cls(
            value.get("prompt_template_version"), Summary.of_json(value["latency_ms"]),
            Summary.of_json(value["score"]), int(value["errors"]),
        )  # fmt: skip


@dataclass
class BucketBatch:
    """The records of one command that fall in one time bucket."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    templates: dict[str, TemplateTally] = field(default_factory=dict)


def bucket_start(at: datetime, bucket_seconds: int) -> datetime:
    """The start of the bucket holding `at` (buckets are aligned on the epoch, UTC)."""
    seconds = int(at.timestamp()) // bucket_seconds * bucket_seconds
    return datetime.fromtimestamp(seconds, UTC)


def by_bucket(records: Iterable[RequestRecord], bucket_seconds: int) -> dict[datetime, BucketBatch]:
    """The records grouped by their time bucket."""
    buckets: dict[datetime, BucketBatch] = {}
    for r in records:
        batch = buckets.setdefault(bucket_start(r.timestamp, bucket_seconds), BucketBatch())
        batch.latencies.append(r.latency_ms)
        batch.errors += r.error
        batch.tokens_in += r.tokens_in
        batch.tokens_out += r.tokens_out
        if r.prompt_template_id is not None:
            tally = batch.templates.setdefault(str(r.prompt_template_id), TemplateTally())
            tally.version = r.prompt_template_version or tally.version
            tally.latency = tally.latency.add(r.latency_ms)
            tally.errors += r.error
            if r.score is not None:
                tally.score = tally.score.add(r.score)
    return buckets


def bucket_end(start: datetime, bucket_seconds: int) -> datetime:
    """The (exclusive) end of the bucket starting at `start`."""
    return start + timedelta(seconds=bucket_seconds)


def merge_templates(
    into: Mapping[str, TemplateTally], batch: Mapping[str, TemplateTally]
) -> dict[str, TemplateTally]:
    """Per-template tallies of both."""
    merged = dict(into)
    for key, tally in batch.items():
        merged[key] = merged[key].merge(tally) if key in merged else tally
    return merged
