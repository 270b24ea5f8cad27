"""Catalog, dataset and prompt end to end on the real stack: commands over Kafka, reads over HTTP.

The three services run in-process under ServiceHost against a database of their own; the
evaluation service (not built yet) is played by publishing its contract on its topic.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from catalog_service.definition import SERVICE as CATALOG
from dataset_service.definition import SERVICE as DATASET
from llmops_events.envelope import CommandResult
from llmops_runtime.auth import issue_token
from llmops_runtime.client import CommandClient
from prompt_service.definition import SERVICE as PROMPT

from .running_services import (
    ISSUER,
    KEY,
    System,
    eventually,
    hosted_services,
    publish_evaluation,
    publish_governance_tokens,
)

pytestmark = pytest.mark.stack

MODEL_CARD = {
    "purpose": "answer support tickets",
    "scope": "English customer support",
    "contact": "ml-team@example.com",
    "licensing": "Apache-2.0",
}


@pytest.fixture
async def system(
    kafka_bootstrap: str, database_url: str, unique_name: str, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[System]:
    monkeypatch.setenv("LLMOPS_AUTH_HS256_KEYS", json.dumps([KEY]))
    monkeypatch.setenv("LLMOPS_AUTH_ISSUERS", json.dumps([ISSUER]))
    monkeypatch.setenv("LLMOPS_PROMPT_PROHIBITED_TOKENS", "password, api key")
    # Roles are not what this flow is about: its actors are bootstrap admins (configuration);
    # tests/integration/test_governance_roles.py exercises role bindings.
    monkeypatch.setenv(
        "LLMOPS_GOVERNANCE_BOOTSTRAP_ADMINS", "alice,bob,dana,erin,priya,scanner,serving"
    )
    definitions = [DATASET, CATALOG, PROMPT]
    async with hosted_services(kafka_bootstrap, database_url, unique_name, definitions) as running:
        yield running


# --- the flow -----------------------------------------------------------------------------


async def _approved_dataset(system: System) -> str:
    """Register, scan clean and approve a dataset version; the catalog must learn of it."""
    registered = await system.send(
        "dana", "dataset", "dataset.register_dataset_version",
        name="support-tickets", version="2025-11", storage_uri="s3://datasets/tickets/2025-11/",
        owner_team="data-platform", change_log="first export",
    )  # fmt: skip
    assert registered.accepted, registered
    dataset_id = registered.aggregate_id
    assert dataset_id is not None
    scanned = await system.send(
        "scanner", "dataset", "dataset.record_pii_scan",
        dataset_version_id=dataset_id, pii_scan_status="clean", notes="no PII found",
    )  # fmt: skip
    assert scanned.accepted, scanned
    approved = await system.send(
        "erin", "dataset", "dataset.approve_dataset_version",
        dataset_version_id=dataset_id, reason="clean scan, quality ok",
    )  # fmt: skip
    assert approved.accepted, approved

    async def approved_in_dataset() -> bool:
        body = (await system.get("dataset", f"/dataset-versions/{dataset_id}")).json()
        return bool(body.get("immutable_snapshot"))

    async def known_to_catalog() -> bool:
        rows = (await system.get("catalog", "/known-dataset-versions")).json()["items"]
        return any(r["dataset_version_id"] == dataset_id and r["approved_at"] for r in rows)

    await eventually(approved_in_dataset, "the dataset read model to show the approval")
    await eventually(known_to_catalog, "the catalog to learn the approved dataset version")
    return dataset_id


async def test_a_model_is_approved_on_evaluations_and_prompts_go_live(system: System) -> None:
    dataset_id = await _approved_dataset(system)

    # A model version linked to the dataset, submitted for review.
    registration = {
        "name": "support-bot", "version": "1.0.0", "type": "fine-tuned",
        "owner_team": "ml-platform", "metadata": MODEL_CARD,
        "storage_uri": "s3://models/support-bot/1.0.0/", "lineage_dataset_ids": [dataset_id],
    }  # fmt: skip
    registered = await system.send(
        "alice", "catalog", "catalog.register_model_version", **registration
    )
    assert registered.accepted, registered
    version_id = registered.aggregate_id
    assert version_id is not None
    duplicate = await system.send(
        "alice", "catalog", "catalog.register_model_version", **registration
    )
    assert (duplicate.status, duplicate.code) == ("rejected", "duplicate_version")
    submitted = await system.send(
        "alice", "catalog", "catalog.submit_model_version",
        model_version_id=version_id, reason="ready for review",
    )  # fmt: skip
    assert submitted.accepted, submitted

    # Approval is refused, naming both missing kinds of evaluation; the refusal is audited.
    refused = await system.send(
        "bob", "catalog", "catalog.approve_model_version",
        model_version_id=version_id, reason="looks good",
    )  # fmt: skip
    assert (refused.status, refused.code) == ("rejected", "missing_evaluations")
    assert refused.message is not None
    assert "automated" in refused.message and "human_or_llm_judge" in refused.message
    await _assert_audited(system, refused, actor="bob", code="missing_evaluations")

    # The evaluation service reports an automated and a human run.
    for type_ in ("automated", "human"):
        await publish_evaluation(system.bootstrap, version_id, type_)

    async def both_runs_known() -> bool:
        runs = (
            await system.get("catalog", "/evaluation-runs", model_version_id=version_id)
        ).json()["items"]
        return {r["type"] for r in runs} == {"automated", "human"}

    await eventually(both_runs_known, "the catalog to learn both evaluation runs")
    approved = await system.send(
        "bob", "catalog", "catalog.approve_model_version",
        model_version_id=version_id, reason="automated and human evaluations pass",
    )  # fmt: skip
    assert approved.accepted, approved
    aliased = await system.send(
        "bob", "catalog", "catalog.set_model_alias",
        name="support-bot", alias="champion", model_version_id=version_id,
    )  # fmt: skip
    assert aliased.accepted, aliased

    async def champion() -> dict[str, Any] | None:
        response = await system.get("catalog", "/models/support-bot/aliases/champion")
        return response.json() if response.status_code == 200 else None

    assert (await eventually(champion, "the champion alias"))["model_version_id"] == version_id

    async def approved_detail() -> dict[str, Any] | None:
        body: dict[str, Any] = (await system.get("catalog", f"/model-versions/{version_id}")).json()
        return body if body.get("status") == "approved" else None

    detail = await eventually(approved_detail, "the read model to show the approval")
    assert set(detail["evaluation_summary"]) == {"automated", "human"}
    listed = (
        await system.get("catalog", "/model-versions", status="approved", name="support-bot")
    ).json()["items"]
    assert [v["model_version_id"] for v in listed] == [version_id]

    # History names who did what; the state as of the submission is under review.
    history = (await system.get("catalog", f"/model-versions/{version_id}/history")).json()["items"]
    by_type = {event["type"]: event for event in history}
    assert by_type["catalog.model_version.approved"]["actor"] == "bob"
    submitted_at = by_type["catalog.model_version.submitted"]["committed_at"]
    before = (
        await system.get("catalog", f"/model-versions/{version_id}", as_of=submitted_at)
    ).json()
    assert before["status"] == "under_review"
    bad = await system.get("catalog", f"/model-versions/{version_id}", as_of="yesterday")
    assert bad.status_code == 422
    assert (await system.get("catalog", f"/model-versions/{uuid.uuid4()}")).status_code == 404

    await _prompt_flow(system)

    for service in ("catalog", "dataset", "prompt"):
        verified = await asyncio.to_thread(llmops, system, "audit", "verify", "--service", service)
        assert verified.returncode == 0, verified.stderr
        assert "the audit chain verifies" in verified.stdout

    before = {path: (await system.get(svc, path)).json() for svc, path in READ_MODELS}
    for service in ("catalog", "dataset", "prompt"):
        rebuilt = await asyncio.to_thread(llmops, system, "projections", "rebuild", service)
        assert rebuilt.returncode == 0, rebuilt.stderr
    after = {path: (await system.get(svc, path)).json() for svc, path in READ_MODELS}
    assert after == before


READ_MODELS = [
    ("catalog", "/model-versions"),
    ("catalog", "/model-aliases"),
    ("catalog", "/known-dataset-versions"),
    ("catalog", "/evaluation-runs"),
    ("dataset", "/dataset-versions"),
    ("prompt", "/prompt-templates"),
    ("prompt", "/prompt-labels"),
    ("prompt", "/prompt-experiments"),
    ("prompt", "/prohibited-tokens"),
]


def llmops(system: System, *args: str) -> subprocess.CompletedProcess[str]:
    """The `llmops` CLI against the system's database and broker, as an operator runs it."""
    env = {
        **os.environ,
        "DATABASE_URL": system.database_url,
        "KAFKA_BOOTSTRAP_SERVERS": system.bootstrap,
    }
    return subprocess.run(
        [sys.executable, "-m", "llmops_cli.main", *args],
        env=env, capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip


async def _prompt_flow(system: System) -> None:
    """A template refused for a prohibited token, fixed, live, labelled; an A/B experiment."""
    await publish_governance_tokens(system.bootstrap, ["SSN"])

    async def governance_tokens_known() -> bool:
        tokens = (await system.get("prompt", "/prohibited-tokens")).json()
        return bool(tokens["governance"] == ["SSN"] and "password" in tokens["defaults"])

    await eventually(governance_tokens_known, "the prompt service to learn governance's tokens")
    registered = await system.send(
        "priya", "prompt", "prompt.register_template",
        name="support-greeting", version="1", language="en",
        content="Hello {name}, send your password and SSN.", context_tags=["support"],
    )  # fmt: skip
    assert registered.accepted, registered
    first = registered.aggregate_id
    refused = await system.send(
        "priya", "prompt", "prompt.make_template_live", prompt_template_id=first
    )
    assert (refused.status, refused.code) == ("rejected", "prohibited_tokens")
    assert refused.message is not None
    assert "password" in refused.message and "SSN" in refused.message
    await _assert_audited(
        system, refused, actor="priya", code="prohibited_tokens", service="prompt"
    )
    revised = await system.send(
        "priya", "prompt", "prompt.revise_template",
        prompt_template_id=first, content="Hello {name}, how can I help today?",
    )  # fmt: skip
    assert revised.accepted, revised
    live = await system.send(
        "priya", "prompt", "prompt.make_template_live", prompt_template_id=first
    )
    assert live.accepted, live
    labelled = await system.send(
        "priya", "prompt", "prompt.set_label",
        name="support-greeting", label="production", prompt_template_id=first,
    )  # fmt: skip
    assert labelled.accepted, labelled

    second_registered = await system.send(
        "priya", "prompt", "prompt.register_template",
        name="support-greeting", version="2", language="en",
        content="Hi {name}! What can I do for you?", context_tags=["support"],
    )  # fmt: skip
    second = second_registered.aggregate_id
    second_live = await system.send(
        "priya", "prompt", "prompt.make_template_live", prompt_template_id=second
    )
    assert second_live.accepted, second_live
    started = await system.send(
        "priya", "prompt", "prompt.start_experiment",
        name="greeting-ab", template_a_id=first, template_b_id=second,
        allocation={"a": 50, "b": 50}, metric="CSAT", min_traffic_per_variant=8,
    )  # fmt: skip
    assert started.accepted, started
    experiment = started.aggregate_id
    observations = {
        "a": [3.1, 3.4, 2.9, 3.0, 3.3, 3.2, 2.8, 3.1],
        "b": [4.4, 4.6, 4.2, 4.5, 4.7, 4.3, 4.6, 4.4],
    }
    for variant, values in observations.items():
        recorded = await system.send(
            "serving", "prompt", "prompt.record_experiment_observations",
            prompt_experiment_id=experiment, variant=variant, values=values,
        )  # fmt: skip
        assert recorded.accepted, recorded
    concluded = await system.send(
        "priya", "prompt", "prompt.conclude_experiment", prompt_experiment_id=experiment
    )
    assert concluded.accepted, concluded

    async def production_label() -> dict[str, Any] | None:
        response = await system.get("prompt", "/prompts/support-greeting/labels/production")
        return response.json() if response.status_code == 200 else None

    assert (await eventually(production_label, "the production label"))[
        "prompt_template_id"
    ] == first

    async def conclusion() -> dict[str, Any] | None:
        body: dict[str, Any] = (
            await system.get("prompt", f"/prompt-experiments/{experiment}")
        ).json()
        return body if body.get("status") == "concluded" else None

    result = await eventually(conclusion, "the experiment's conclusion")
    assert result["outcome"] == "winner"
    assert result["winner_template_id"] == second
    assert result["conclusion"]["statistical_test"] == "welch_t_test"


async def _assert_audited(
    system: System, result: CommandResult, *, actor: str, code: str, service: str = "catalog"
) -> None:
    """The refusal left an audit record naming the actor and the reason (read over HTTP)."""
    response = await system.get(service, "/audit", command_id=str(result.command_id))
    [record] = response.json()["items"]
    assert (record["actor"], record["status"], record["code"]) == (actor, "rejected", code)
    assert record["reason"]


async def test_a_new_dataset_version_must_cite_the_prior_one_and_a_snapshot_is_frozen(
    system: System,
) -> None:
    dataset_id = await _approved_dataset(system)
    frozen = await system.send(
        "dana", "dataset", "dataset.amend_change_log",
        dataset_version_id=dataset_id, change_log="rewritten",
    )  # fmt: skip
    assert (frozen.status, frozen.code) == ("rejected", "immutable_snapshot")
    second = {
        "name": "support-tickets", "version": "2025-12",
        "storage_uri": "s3://datasets/tickets/2025-12/", "owner_team": "data-platform",
        "change_log": "December export",
    }  # fmt: skip
    uncited = await system.send("dana", "dataset", "dataset.register_dataset_version", **second)
    assert (uncited.status, uncited.code) == ("rejected", "validation_failed")
    assert {e.loc for e in uncited.field_errors} == {
        "payload.previous_version",
        "payload.diff_summary",
    }
    cited = await system.send(
        "dana", "dataset", "dataset.register_dataset_version",
        **second, previous_version="2025-11", diff_summary="+1,204 tickets since 2025-11",
    )  # fmt: skip
    assert cited.accepted, cited
    listed = (await system.get("dataset", "/dataset-versions", name="support-tickets")).json()[
        "items"
    ]
    assert [v["version"] for v in listed][:1] == ["2025-11"]


async def test_two_versions_of_a_new_name_in_one_batch_cannot_both_pass_as_first(
    system: System,
) -> None:
    base = {"name": "race-ds", "storage_uri": "s3://x/", "owner_team": "data", "change_log": "c"}
    register = "dataset.register_dataset_version"
    token = issue_token("dana", KEY, ISSUER)
    async with CommandClient(system.bootstrap, actor_token=token) as client:
        # One key, one partition: the second follows the first, usually in the same batch.
        first, second = await asyncio.gather(
            client.send("dataset", register, {**base, "version": "1"}, key="race-ds"),
            client.send("dataset", register, {**base, "version": "2"}, key="race-ds"),
        )
    assert first.accepted, first
    assert second.code == "validation_failed", second
    assert {e.loc for e in second.field_errors} == {
        "payload.previous_version",
        "payload.diff_summary",
    }
