"""Scoring one automated run from its files: per-item metrics and the aggregate, or a reason."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from evaluation_service.scoring.files import FileProblem, ReadLimits, read_jsonl
from evaluation_service.scoring.metrics import ItemMetrics, aggregate, score_item

SHOWN_IDS = 5


@dataclass(frozen=True)
class Scored:
    """A run's per-item results, aggregate metrics and the digests of the files read."""

    items: list[ItemMetrics]
    metrics: dict[str, Any]
    snapshot_digest: str
    predictions_digest: str


@dataclass(frozen=True)
class Unscorable:
    """Why a run cannot be scored, and the snapshot's digest if it was read."""

    reason: str
    snapshot_digest: str | None = None


def _listed(ids: set[str]) -> str:
    shown = ", ".join(repr(i) for i in sorted(ids)[:SHOWN_IDS])
    return shown + (f" and {len(ids) - SHOWN_IDS} more" if len(ids) > SHOWN_IDS else "")


def score_run(
    snapshot_uri: str, predictions_uri: str, *, limits: ReadLimits
) -> Scored | Unscorable:
    """Read both files (within limits) and score every snapshot item; never raises
    for bad input."""
    try:
        snapshot = read_jsonl("snapshot", snapshot_uri, ("reference",), limits=limits)
    except FileProblem as problem:
        return Unscorable(str(problem))
    try:
        predictions = read_jsonl("predictions", predictions_uri, ("prediction",), limits=limits)
    except FileProblem as problem:
        return Unscorable(str(problem), snapshot.digest)
    missing = set(snapshot.rows) - set(predictions.rows)
    unknown = set(predictions.rows) - set(snapshot.rows)
    if missing or unknown:
        reasons = [f"no prediction for {_listed(missing)}"] if missing else []
        reasons += (
            [f"predictions for ids not in the snapshot: {_listed(unknown)}"] if unknown else []
        )
        return Unscorable("ids do not match: " + "; ".join(reasons), snapshot.digest)
    pairs = [
        (i, str(predictions.rows[i]["prediction"]), str(r["reference"]))
        for i, r in snapshot.rows.items()
    ]
    items = [score_item(i, p, r) for i, p, r in pairs]
    metrics = aggregate(items, [p for _, p, _ in pairs], [r for _, _, r in pairs])
    return Scored(items, metrics, snapshot.digest, predictions.digest)
