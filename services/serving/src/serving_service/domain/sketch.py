"""Latency quantiles with DDSketch (relative accuracy 1 %), stored as its bins."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ddsketch import LogarithmicMapping
from ddsketch.ddsketch import BaseDDSketch
from ddsketch.store import DenseStore

RELATIVE_ACCURACY = 0.01


def empty_sketch() -> BaseDDSketch:
    """A sketch of no values (latencies are never negative: one positive store)."""
    return BaseDDSketch(LogarithmicMapping(RELATIVE_ACCURACY), DenseStore(), DenseStore(), 0.0)


def sketch_of(values: Iterable[float]) -> BaseDDSketch:
    """A sketch of these values."""
    sketch = empty_sketch()
    for value in values:
        sketch.add(value)
    return sketch


def bins_of(sketch: BaseDDSketch) -> tuple[dict[str, float], float]:
    """The sketch's non-empty bins (bin key -> count) and its count of zeros."""
    store = sketch._store
    bins = {str(store.offset + i): c for i, c in enumerate(store.bins) if c}
    return bins, float(sketch._zero_count)


def sketch_from(bins: Mapping[str, float], zero_count: float) -> BaseDDSketch:
    """The sketch those bins describe."""
    store = DenseStore()
    for key, count in bins.items():
        store.add(int(key), count)
    return BaseDDSketch(LogarithmicMapping(RELATIVE_ACCURACY), store, DenseStore(), zero_count)


def quantile(sketch: BaseDDSketch, q: float) -> float:
    """The q-quantile, 0.0 for an empty sketch."""
    value = sketch.get_quantile_value(q)
    return 0.0 if value is None else max(0.0, float(value))
