"""evaluation.run.completed v2: every v1 field kept, the two new ones required; v1 stays."""

from __future__ import annotations

import json

from llmops_events.compatibility import breaking_changes
from llmops_events.evaluation import EvaluationRunCompleted, EvaluationRunCompletedV1
from llmops_events.snapshot import SCHEMAS_DIR, current_schema


def test_v2_is_a_new_schema_version_beside_the_committed_v1_snapshot() -> None:
    assert (EvaluationRunCompletedV1.SCHEMA_VERSION, EvaluationRunCompleted.SCHEMA_VERSION) == (
        1,
        2,
    )
    v1 = json.loads((SCHEMAS_DIR / "evaluation.run.completed.v1.json").read_text())
    assert current_schema(EvaluationRunCompletedV1)["properties"] == v1["properties"]
    # Only what made it a new version: two new required fields; no v1 field removed or retyped.
    assert breaking_changes(v1, current_schema(EvaluationRunCompleted)) == [
        "$.snapshot_digest: field became required",
        "$.started_at: field became required",
    ]


def test_a_v2_payload_reads_as_v1_for_consumers_of_the_v1_fields() -> None:
    payload = {
        "run_id": "00000000-0000-4000-8000-000000000001",
        "model_entry_id": "00000000-0000-4000-8000-000000000002",
        "dataset_id": "00000000-0000-4000-8000-000000000003",
        "prompt_template_id": None, "type": "automated", "metrics": {"bleu": 0.4},
        "status": "completed", "completed_at": "2026-12-01T09:00:05+00:00", "run_by": "ci",
        "started_at": "2026-12-01T09:00:00+00:00", "snapshot_digest": "a" * 64,
    }  # fmt: skip
    v2 = EvaluationRunCompleted.model_validate(payload)
    assert EvaluationRunCompletedV1.model_validate(v2.model_dump(mode="json")).metrics == {
        "bleu": 0.4
    }
