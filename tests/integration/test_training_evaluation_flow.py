"""From an approved dataset to a champion model, on the real stack, through commands and HTTP.

Governance, dataset, catalog, evaluation and training run in-process under ServiceHost, each
as its own database role, against a database of their own; nothing is published by hand. A
training job on the approved dataset runs a real subprocess that logs metrics and succeeds;
the fine-tuned version names the job in its lineage; the evaluation worker scores a
predictions file against the dataset's snapshot and a reviewer annotates a human run; an
approver approves and an operator points `champion` at it. Refused on the way: a run on an
unapproved dataset, a job on an unapproved model and a 4th retry without an override.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from catalog_service.definition import SERVICE as CATALOG
from dataset_service.definition import SERVICE as DATASET
from evaluation_service.bootstrap import evaluation_bootstrap
from evaluation_service.bootstrap import utc_now as evaluation_clock
from evaluation_service.definition import service_definition as evaluation_definition
from evaluation_service.settings import EvaluationSettings
from governance_service.definition import SERVICE as GOVERNANCE
from llmops_events.envelope import CommandResult
from llmops_runtime.service import Wiring
from training_service.application.jobs import utc_now as training_clock
from training_service.bootstrap import training_bootstrap
from training_service.definition import service_definition as training_definition
from training_service.settings import TrainingSettings

from .running_services import ISSUER, KEY, Actors, eventually, hosted_services

pytestmark = [pytest.mark.stack, pytest.mark.timeout(300)]

MODEL_CARD = {
    "purpose": "answer support questions", "scope": "English", "contact": "ml@example.com",
    "licensing": "Apache-2.0",
}  # fmt: skip
SNAPSHOT = [
    {"id": "q1", "input": "Capital of France?", "reference": "Paris"},
    {"id": "q2", "input": "2+2?", "reference": "four"},
    {"id": "q3", "input": "Colour of the sky?", "reference": "the sky is blue"},
]
PREDICTIONS = [
    {"id": "q1", "prediction": "Paris"},
    {"id": "q2", "prediction": "4"},
    {"id": "q3", "prediction": "the sky is blue today"},
]
# A training entrypoint: JSON-line metrics on stdout, its weights into LLMOPS_OUTPUT_DIR.
TRAIN = """
import json, os
for step in range(300):
    print(json.dumps({"metric": "loss", "step": step, "value": 3.0 / (step + 1)}), flush=True)
open(os.path.join(os.environ["LLMOPS_OUTPUT_DIR"], "adapter.bin"), "w").write("weights")
"""
# An entrypoint that always fails, slowly enough for a retry override to arrive first.
FAIL = "import sys, time; time.sleep(1.0); sys.exit(3)"


@dataclasses.dataclass
class Org(Actors):
    """This run's actors, and where the run's files are written."""

    files: Path

    async def accepted(self, actor: str, service: str, wire: str, **payload: Any) -> str:
        """Send until accepted (role bindings and other services' facts arrive by events)."""

        async def attempt() -> CommandResult | None:
            result = await self.send(actor, service, wire, **payload)
            return result if result.accepted else None

        result = await eventually(attempt, f"{actor}'s {wire} to be accepted", within_s=60)
        assert result.aggregate_id is not None
        return result.aggregate_id

    async def body(self, service: str, path: str, **params: str) -> dict[str, Any]:
        response = await self.system.get(service, path, **params)
        return dict(response.json()) if response.status_code == 200 else {}

    def until(
        self, service: str, path: str, ok: Callable[[dict[str, Any]], bool]
    ) -> Callable[[], Awaitable[dict[str, Any] | None]]:
        async def probe() -> dict[str, Any] | None:
            found = await self.body(service, path)
            return found if found and ok(found) else None

        return probe

    def jsonl(self, name: str, rows: list[dict[str, Any]]) -> str:
        path = self.files / name
        path.write_text("".join(json.dumps(r) + "\n" for r in rows))
        return path.as_uri()


@pytest.fixture
async def org(
    kafka_bootstrap: str,
    database_url: str,
    unique_name: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> AsyncIterator[Org]:
    monkeypatch.setenv("LLMOPS_AUTH_HS256_KEYS", json.dumps([KEY]))
    monkeypatch.setenv("LLMOPS_AUTH_ISSUERS", json.dumps([ISSUER]))
    # Configuration names the only first admin; everyone else gets roles from governance.
    monkeypatch.setenv("LLMOPS_GOVERNANCE_BOOTSTRAP_ADMINS", f"root-{unique_name}")
    trained = TrainingSettings(artifact_root=tmp_path / "artifacts", poll_seconds=0.2)
    scored = EvaluationSettings(poll_every_s=0.2)
    training = training_definition(Wiring(training_bootstrap(lambda: trained, training_clock)))
    evaluation = evaluation_definition(
        Wiring(evaluation_bootstrap(lambda: scored, evaluation_clock))
    )
    definitions = [GOVERNANCE, DATASET, CATALOG, evaluation, training]
    async with hosted_services(kafka_bootstrap, database_url, unique_name, definitions) as running:
        yield Org(running, unique_name, tmp_path)


async def test_an_approved_dataset_trains_a_version_that_is_evaluated_approved_and_champion(
    org: Org,
) -> None:
    for subject, role in (
        ("dana", "submitter"), ("erin", "reviewer"), ("carol", "approver"), ("otto", "operator"),
    ):  # fmt: skip
        granted = await org.send(
            "root", "governance", "governance.grant_role", subject_kind="actor",
            subject=org.who(subject), role=role, reason="the flow's organisation",
        )  # fmt: skip
        assert granted.accepted, granted

    # --- a dataset snapshot, approved; another one left unapproved ------------------------
    snapshot_uri = org.jsonl("support-qa.jsonl", SNAPSHOT)
    dataset_id = await approved_dataset(org, "support-qa", snapshot_uri)
    unapproved_id = await org.accepted(
        "dana", "dataset", "dataset.register_dataset_version", name=org.who("scraped"),
        version="1", storage_uri=snapshot_uri, owner_team="ml", change_log="unreviewed",
    )  # fmt: skip

    # --- the base model, evaluated and approved: training starts from approved models -----
    base_id = await under_review(org, "support-base", "1.0.0", "base", dataset_ids=[])
    await evaluated(org, base_id, dataset_id, org.jsonl("base-predictions.jsonl", PREDICTIONS))
    await org.accepted(
        "carol", "catalog", "catalog.approve_model_version", model_version_id=base_id,
        reason="base model evaluated",
    )  # fmt: skip

    # --- training: refused on an unapproved model, then a real subprocess succeeds ---------
    draft = await org.accepted(
        "dana", "catalog", "catalog.register_model_version", name=org.who("unreviewed"),
        version="0.1.0", type="base", owner_team="ml", metadata=MODEL_CARD,
    )  # fmt: skip
    job = {
        "dataset_ids": [dataset_id], "owner_team": "ml", "resource_profile": {"gpu_count": 1},
        "hyperparameters": {"lr": 0.0002, "epochs": 1},
    }  # fmt: skip
    on_draft = await org.send(
        "dana", "training", "training.submit_job", model_entry_id=draft,
        command=[sys.executable, "-c", TRAIN], **job,
    )  # fmt: skip
    assert (on_draft.accepted, on_draft.code) == (False, "model_not_approved"), on_draft
    job_id = await org.accepted(
        "dana", "training", "training.submit_job", model_entry_id=base_id,
        command=[sys.executable, "-c", TRAIN], **job,
    )  # fmt: skip
    finished = org.until(
        "training", f"/training-jobs/{job_id}", lambda j: j["status"] not in ("queued", "running")
    )
    done = await eventually(finished, "the training job to finish", within_s=120)
    assert done["status"] == "succeeded", done
    assert done["output_artifact_uri"].startswith("file://") and done["attempt"] == 1
    loss = await org.body("training", f"/training-jobs/{job_id}/metrics", name="loss", limit="1000")
    assert [p["step"] for p in loss["items"]] == list(range(300))
    assert loss["items"][-1]["value"] == pytest.approx(3.0 / 300)

    # --- retries: 3 without an override, then refused; more with one ----------------------
    failing = {"model_entry_id": base_id, "command": [sys.executable, "-c", FAIL], **job}
    capped = await org.accepted("dana", "training", "training.submit_job", **failing)
    overridden = await org.accepted("dana", "training", "training.submit_job", **failing)
    override = await org.send(
        "root", "governance", "governance.approve_retry_override", training_job_id=overridden,
        max_retries=4, reason="flaky GPU node, one more try",
    )  # fmt: skip
    assert override.accepted, override
    failed = await eventually(
        org.until("training", f"/training-jobs/{capped}", lambda j: j["status"] == "failed"),
        "the capped job to fail for good", within_s=120,
    )  # fmt: skip
    assert failed["attempt"] == 4, failed  # the first run and 3 automatic retries
    history = await org.body("training", f"/training-jobs/{capped}/history", limit="100")
    ends = [e["payload"] for e in history["items"] if e["type"] == "training.job.attempt_failed"]
    assert [(e["attempt"], e["will_retry"]) for e in ends] == [
        (1, True), (2, True), (3, True), (4, False),
    ]  # fmt: skip
    fourth_retry = await org.send(
        "otto", "training", "training.report_attempt", training_job_id=capped, attempt=5,
        outcome="started", runner="by-hand",
    )  # fmt: skip
    assert (fourth_retry.accepted, fourth_retry.code) == (False, "job_finished"), fourth_retry
    longer = await eventually(
        org.until("training", f"/training-jobs/{overridden}", lambda j: j["status"] == "failed"),
        "the overridden job to fail for good", within_s=120,
    )  # fmt: skip
    assert longer["attempt"] == 5, longer  # the override's 4th retry ran

    # --- the fine-tuned version, with the job in its lineage ------------------------------
    tuned_id = await under_review(
        org, "support-tuned", "1.0.0", "fine-tuned", dataset_ids=[dataset_id], job_id=job_id
    )
    version = await org.body("catalog", f"/model-versions/{tuned_id}")
    assert version["lineage_training_job_id"] == job_id
    assert version["lineage_dataset_ids"] == [dataset_id]

    # --- evaluations: refused on the unapproved dataset, scored on the approved snapshot ---
    on_unapproved = await org.send(
        "otto", "evaluation", "evaluation.start_run", model_version_id=tuned_id,
        dataset_version_id=unapproved_id, type="automated",
        predictions_uri=org.jsonl("p.jsonl", PREDICTIONS),
    )  # fmt: skip
    assert (on_unapproved.accepted, on_unapproved.code) == (False, "dataset_not_approved")
    automated, human = await evaluated(
        org, tuned_id, dataset_id, org.jsonl("tuned-predictions.jsonl", PREDICTIONS)
    )
    assert automated["metrics"]["exact_match"] == pytest.approx(1 / 3, abs=1e-6)  # q1 only
    assert 0 < automated["metrics"]["rouge_l"] <= 1 and len(automated["snapshot_digest"]) == 64
    assert human["metrics"]["items"] == 3

    # --- approved by an approver, champion set by an operator -----------------------------
    refused = await org.send(
        "dana", "catalog", "catalog.approve_model_version", model_version_id=tuned_id,
        reason="my own work",
    )  # fmt: skip
    assert refused.code == "forbidden", refused
    await org.accepted(
        "carol", "catalog", "catalog.approve_model_version", model_version_id=tuned_id,
        reason="automated and human evaluations pass",
    )  # fmt: skip
    await org.accepted(
        "otto", "catalog", "catalog.set_model_alias", name=org.who("support-tuned"),
        alias="champion", model_version_id=tuned_id,
    )  # fmt: skip
    champion = await eventually(
        org.until(
            "catalog", f"/models/{org.who('support-tuned')}/aliases/champion",
            lambda a: a.get("model_version_id") == tuned_id,
        ),
        "champion to point at the tuned version",
    )  # fmt: skip
    assert champion["model_version_id"] == tuned_id
    final = await org.body("catalog", f"/model-versions/{tuned_id}")
    assert final["status"] == "approved"
    assert {r["type"] for r in (await runs_of(org, tuned_id))} == {"automated", "human"}


# --- steps ----------------------------------------------------------------------------------


async def approved_dataset(org: Org, name: str, uri: str) -> str:
    """Registered by a submitter, scanned by a reviewer, approved by an approver."""
    dataset_id = await org.accepted(
        "dana", "dataset", "dataset.register_dataset_version", name=org.who(name), version="1",
        storage_uri=uri, owner_team="ml", change_log="support questions, first snapshot",
    )  # fmt: skip
    await org.accepted(
        "erin", "dataset", "dataset.record_pii_scan", dataset_version_id=dataset_id,
        pii_scan_status="clean",
    )  # fmt: skip
    await org.accepted(
        "carol", "dataset", "dataset.approve_dataset_version", dataset_version_id=dataset_id,
        reason="clean benchmark",
    )  # fmt: skip
    return dataset_id


async def under_review(
    org: Org, name: str, version: str, type_: str, *, dataset_ids: list[str],
    job_id: str | None = None,
) -> str:  # fmt: skip
    """Registered (once the catalog knows its job and datasets) and submitted for review."""
    version_id = await org.accepted(
        "dana", "catalog", "catalog.register_model_version", name=org.who(name),
        version=version, type=type_, owner_team="ml", metadata=MODEL_CARD,
        lineage_dataset_ids=dataset_ids, lineage_training_job_id=job_id,
    )  # fmt: skip
    await org.accepted(
        "dana", "catalog", "catalog.submit_model_version", model_version_id=version_id,
        reason="ready for review",
    )  # fmt: skip
    return version_id


async def evaluated(
    org: Org, version_id: str, dataset_id: str, predictions_uri: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """An automated run scored by the worker and a human run annotated, both completed and
    known to the catalog."""
    automated_id = await org.accepted(
        "otto", "evaluation", "evaluation.start_run", model_version_id=version_id,
        dataset_version_id=dataset_id, type="automated", predictions_uri=predictions_uri,
    )  # fmt: skip
    human_id = await org.accepted(
        "otto", "evaluation", "evaluation.start_run", model_version_id=version_id,
        dataset_version_id=dataset_id, type="human",
    )  # fmt: skip
    scores = [
        {"item_id": "q1", "score": 1.0, "comment": "exact"},
        {"item_id": "q2", "score": 0.5, "comment": "right number, wrong form"},
        {"item_id": "q3", "score": 0.9},
    ]
    await org.accepted(
        "erin", "evaluation", "evaluation.submit_human_scores", run_id=human_id, scores=scores
    )
    await org.accepted(
        "erin", "evaluation", "evaluation.complete_run", run_id=human_id, notes="annotated"
    )
    runs = []
    for run_id in (automated_id, human_id):
        completed = org.until(
            "evaluation", f"/evaluation-runs/{run_id}", lambda r: r["status"] == "completed"
        )
        runs.append(await eventually(completed, f"run {run_id} to complete"))

    async def known() -> bool:
        return len(await runs_of(org, version_id)) == 2

    await eventually(known, "the catalog to learn both runs")
    return runs[0], runs[1]


async def runs_of(org: Org, version_id: str) -> list[dict[str, Any]]:
    body = await org.body("catalog", "/evaluation-runs", model_version_id=version_id)
    return list(body.get("items", []))
