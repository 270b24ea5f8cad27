"""The evaluation service hosted on the real Kafka and PostgreSQL: a dataset approval arrives
on llmops.dataset.events, an automated run is scored by the worker and published as v2."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import pytest
from aiokafka import AIOKafkaConsumer

from evaluation_service.bootstrap import evaluation_bootstrap, utc_now
from evaluation_service.definition import service_definition
from evaluation_service.settings import EvaluationSettings
from llmops_events import dataset as dataset_contracts
from llmops_events.base import EventContract
from llmops_runtime.auth import issue_token
from llmops_runtime.client import CommandClient
from llmops_runtime.service import (
    Wiring,
    drop_service_role,
    service_role,
)
from llmops_testing.stack import eventually, hosted, publish_as_relay, read_client

from .conftest import PREDICTION_ROWS, SNAPSHOT_ROWS, jsonl

pytestmark = pytest.mark.stack

KEY = "evaluation-test-signing-key-long-enough-for-hs256"
ISSUER = "llmops-evaluation-tests"
DATASET_TOPIC = "llmops.dataset.events"
T = TypeVar("T")


@pytest.fixture
def auth(monkeypatch: pytest.MonkeyPatch) -> str:
    """The token of an actor every service allows (a bootstrap admin)."""
    monkeypatch.setenv("LLMOPS_AUTH_HS256_KEYS", json.dumps([KEY]))
    monkeypatch.setenv("LLMOPS_AUTH_ISSUERS", json.dumps([ISSUER]))
    monkeypatch.setenv("LLMOPS_GOVERNANCE_BOOTSTRAP_ADMINS", "eve")
    return issue_token("eve", KEY, ISSUER)


async def published_completion(kafka: str, service: str, run_id: str) -> dict[str, Any]:
    """The evaluation.run.completed envelope of run_id on the service's events topic."""
    consumer = AIOKafkaConsumer(
        f"llmops.{service}.events", bootstrap_servers=kafka, auto_offset_reset="earliest"
    )
    await consumer.start()
    try:
        while True:
            record = await asyncio.wait_for(consumer.getone(), 30)
            envelope: dict[str, Any] = json.loads(record.value or b"{}")
            completed = envelope.get("wire_type") == "evaluation.run.completed"
            if completed and envelope["payload"]["run_id"] == run_id:
                return envelope
    finally:
        await consumer.stop()


def dataset_events(dataset_id: uuid.UUID, uri: str, *, approved: bool) -> list[EventContract]:
    common: dict[str, Any] = dict(
        dataset_version_id=dataset_id, name="qa-bench", version=dataset_id.hex[:8],
        storage_uri=uri, owner_team="ml", change_log="first", previous_version=None,
        diff_summary=None,
    )  # fmt: skip
    registered = dataset_contracts.DatasetVersionRegistered(
        previous_version_id=None, registered_by="dana", **common
    )
    if not approved:
        return [registered]
    approval = dataset_contracts.DatasetVersionApproved(
        immutable_snapshot=True, pii_scan_status="clean", quality_score=95.0,
        approved_by="erin", approved_at=datetime.now(UTC), reason="benchmark", **common,
    )  # fmt: skip
    return [registered, approval]


async def test_an_automated_run_on_an_approved_snapshot_is_scored_and_published_as_v2(
    database_url: str, kafka_bootstrap: str, unique_name: str, auth: str, tmp_path: Path
) -> None:
    config = EvaluationSettings(poll_every_s=0.1)
    wiring = Wiring(evaluation_bootstrap(lambda: config, utc_now))
    definition = dataclasses.replace(service_definition(wiring), name=unique_name)
    snapshot = jsonl(tmp_path / "snapshot.jsonl", SNAPSHOT_ROWS)
    predictions = jsonl(tmp_path / "predictions.jsonl", PREDICTION_ROWS)
    approved, pending = uuid.uuid4(), uuid.uuid4()
    model = str(uuid.uuid4())
    try:
        async with (
            hosted(definition, database_url, kafka_bootstrap) as host,
            CommandClient(kafka_bootstrap, actor_token=auth) as bus,
            read_client(host, auth) as http,
        ):
            for event in dataset_events(pending, snapshot, approved=False):
                await publish_as_relay(kafka_bootstrap, DATASET_TOPIC, event, stream_id=pending)
            for event in dataset_events(approved, snapshot, approved=True):
                await publish_as_relay(kafka_bootstrap, DATASET_TOPIC, event, stream_id=approved)

            async def start(dataset: uuid.UUID, predicted: str = predictions) -> Any:
                payload = {
                    "model_version_id": model, "dataset_version_id": str(dataset),
                    "type": "automated", "predictions_uri": predicted,
                }  # fmt: skip
                return await bus.send(unique_name, "evaluation.start_run", payload, timeout=30)

            # Refusals before the approval is projected are retryable; then it is accepted.
            started = await eventually(lambda: start(approved), lambda r: r.accepted)
            refused = await start(pending)
            assert (refused.accepted, refused.code) == (False, "dataset_not_approved")
            unknown = await start(uuid.uuid4())
            assert unknown.code == "unknown_dataset_version"

            run_id = str(started.aggregate_id)

            async def run() -> dict[str, Any]:
                response = await http.get(f"/evaluation-runs/{run_id}")
                return response.json() if response.status_code == 200 else {}

            done = await eventually(run, lambda r: r.get("status") == "completed")
            assert done["metrics"]["items"] == 3
            assert done["metrics"]["exact_match"] == pytest.approx(1 / 3, abs=1e-6)
            items = (await http.get(f"/evaluation-runs/{run_id}/items")).json()["items"]
            assert [i["item_id"] for i in items] == ["q1", "q2", "q3"]

            envelope = await published_completion(kafka_bootstrap, unique_name, run_id)
            assert envelope["schema_version"] == 2
            payload = envelope["payload"]
            assert payload["status"] == "completed"
            assert payload["snapshot_digest"] == done["snapshot_digest"]
            assert len(payload["snapshot_digest"]) == 64 and payload["started_at"]
            assert payload["dataset_id"] == str(approved) and payload["model_entry_id"] == model

            # A run whose predictions file is missing is published too, as failed.
            missing = await start(approved, (tmp_path / "missing.jsonl").as_uri())
            assert missing.accepted, missing
            envelope = await published_completion(
                kafka_bootstrap, unique_name, str(missing.aggregate_id)
            )
            assert (envelope["schema_version"], envelope["payload"]["status"]) == (2, "failed")
            assert envelope["payload"]["failure_reason"].startswith("predictions file not found")
            assert envelope["payload"]["metrics"] == {}
    finally:
        await drop_service_role(database_url, service_role(unique_name))
