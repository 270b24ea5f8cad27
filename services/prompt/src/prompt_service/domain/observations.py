"""Running count, mean and sum of squared deviations of a variant's observations."""

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class RunningStatistics:
    """Mergeable summary (Chan et al.): stable where sums of squares would cancel."""

    count: int = 0
    mean: float = 0.0
    m2: float = 0.0

    @classmethod
    def of(cls, values: Sequence[float]) -> "RunningStatistics":
        """Summarize a batch of values with Welford's algorithm."""
        count, mean, m2 = 0, 0.0, 0.0
        for value in values:
            count += 1
            delta = value - mean
            mean += delta / count
            m2 += delta * (value - mean)
        return cls(count, mean, m2)

    def merge(self, other: "RunningStatistics") -> "RunningStatistics":
        """The summary of both samples together."""
        if other.count == 0:
            return self
        if self.count == 0:
            return other
        count = self.count + other.count
        delta = other.mean - self.mean
        mean = self.mean + delta * other.count / count
        m2 = self.m2 + other.m2 + delta * delta * self.count * other.count / count
        return RunningStatistics(count, mean, m2)

    @property
    def variance(self) -> float | None:
        """The sample variance (n - 1 denominator), or None below two observations."""
        return self.m2 / (self.count - 1) if self.count >= 2 else None


def all_finite(values: Sequence[float]) -> bool:
    """True if every value is a finite real number (not a bool)."""
    return all(
        isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in values
    )
