"""Aggregate metrics of human and judge runs from their per-item scores."""

from __future__ import annotations

from collections.abc import Mapping
from statistics import fmean
from typing import Any


def aggregate_scores(scores: Mapping[str, Mapping[str, float]]) -> dict[str, Any]:
    """Mean over items of each item's mean over its scorers; counts of items and scores.

    `scores` maps item id -> scorer (reviewer or judge model) -> score (0-1); a scorer's later
    score of an item replaced its earlier one.
    """
    per_item = [fmean(by_scorer.values()) for by_scorer in scores.values() if by_scorer]
    scorers = {scorer for by_scorer in scores.values() for scorer in by_scorer}
    return {
        "mean_score": round(fmean(per_item), 6) if per_item else None,
        "items": len(per_item),
        "scores": sum(len(by_scorer) for by_scorer in scores.values()),
        "scorers": len(scorers),
    }
