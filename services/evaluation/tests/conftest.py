"""Builders and files shared by the evaluation service's tests."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID, uuid4

import pytest

from evaluation_service.domain import BenchmarkSnapshot, EvaluationRun
from llmops_testing.builders import builder

AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
DATASET_ID = UUID("00000000-0000-4000-8000-0000000000d1")
APPROVED = BenchmarkSnapshot(str(DATASET_ID), "file:///data/qa.jsonl", approved=True)

make_run = builder(
    EvaluationRun.queue,
    model_version_id=UUID("00000000-0000-4000-8000-0000000000a1"),
    dataset_version_id=DATASET_ID,
    benchmark=APPROVED,
    type="human",
    actor="rita",
)


def jsonl(path: Path, rows: list[dict[str, object]]) -> str:
    """Write rows as JSONL; the file:// URI of the file."""
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path.as_uri()


SNAPSHOT_ROWS: list[dict[str, object]] = [
    {"id": "q1", "input": "Capital of France?", "reference": "Paris"},
    {"id": "q2", "input": "2+2?", "reference": "four"},
    {"id": "q3", "input": "Colour of the sky?", "reference": "the sky is blue"},
]
PREDICTION_ROWS: list[dict[str, object]] = [
    {"id": "q1", "prediction": "paris."},
    {"id": "q2", "prediction": "five"},
    {"id": "q3", "prediction": "sky is blue today"},
]


@pytest.fixture
def files(tmp_path: Path) -> Callable[..., tuple[str, str]]:
    """(snapshot URI, predictions URI) of JSONL files written for the test."""

    def write(
        snapshot: list[dict[str, object]] = SNAPSHOT_ROWS,
        predictions: list[dict[str, object]] = PREDICTION_ROWS,
    ) -> tuple[str, str]:
        name = uuid4().hex
        return (
            jsonl(tmp_path / f"{name}-snapshot.jsonl", snapshot),
            jsonl(tmp_path / f"{name}-predictions.jsonl", predictions),
        )

    return write
