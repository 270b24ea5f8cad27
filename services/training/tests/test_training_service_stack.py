"""The training service hosted on the real Kafka and PostgreSQL: approvals arrive from the
catalog and dataset topics, a job runs a real subprocess that logs metrics and succeeds, and a
job on an unapproved model is refused."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import pytest
from aiokafka import AIOKafkaConsumer

from llmops_events import catalog, dataset
from llmops_runtime.auth import issue_token
from llmops_runtime.client import CommandClient
from llmops_runtime.events_topics import ensure_events_topics
from llmops_runtime.service import (
    Wiring,
)
from llmops_testing.stack import eventually, hosted, publish_as_relay, read_client
from training_service.application.jobs import utc_now
from training_service.bootstrap import training_bootstrap
from training_service.definition import service_definition
from training_service.settings import TrainingSettings

pytestmark = [pytest.mark.stack, pytest.mark.timeout(180)]

KEY = "training-test-signing-key-long-enough-for-hs256"
ISSUER = "llmops-training-tests"
T = TypeVar("T")
TRAIN = """
import json, os
for step in range(500):
    print(json.dumps({"metric": "loss", "step": step, "value": 2.0 / (step + 1)}), flush=True)
open(os.path.join(os.environ["LLMOPS_OUTPUT_DIR"], "adapter.bin"), "w").write("w")
"""


@pytest.fixture
def auth(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("LLMOPS_AUTH_HS256_KEYS", json.dumps([KEY]))
    monkeypatch.setenv("LLMOPS_AUTH_ISSUERS", json.dumps([ISSUER]))
    monkeypatch.setenv("LLMOPS_GOVERNANCE_BOOTSTRAP_ADMINS", "tina")
    return issue_token("tina", KEY, ISSUER)


async def published(kafka: str, service: str, wire_type: str) -> dict[str, Any]:
    consumer = AIOKafkaConsumer(
        f"llmops.{service}.events", bootstrap_servers=kafka, auto_offset_reset="earliest"
    )
    await consumer.start()
    try:
        while True:
            record = await asyncio.wait_for(consumer.getone(), 30)
            envelope = json.loads(record.value or b"{}")
            if envelope.get("wire_type") == wire_type:
                return dict(envelope)
    finally:
        await consumer.stop()


async def test_an_approved_job_runs_logs_metrics_and_succeeds_an_unapproved_one_is_refused(
    database_url: str, kafka_bootstrap: str, unique_name: str, auth: str, tmp_path: Path
) -> None:
    config = TrainingSettings(artifact_root=tmp_path, poll_seconds=0.2, metric_batch_points=200)
    wiring = Wiring(training_bootstrap(lambda: config, utc_now))
    definition = dataclasses.replace(service_definition(wiring), name=unique_name)
    model, data = uuid.uuid4(), uuid.uuid4()
    approved_model = catalog.ModelVersionApproved(
        model_version_id=model, name="base-llm", version="1.0.0", type="base", reviewer="rita",
        reason="evaluated", evaluation_run_ids=[],
    )  # fmt: skip
    approved_data = dataset.DatasetVersionApproved(
        dataset_version_id=data, immutable_snapshot=True, name="support", version="1",
        storage_uri="s3://datasets/support/1", owner_team="nlp", change_log="first",
        previous_version=None, diff_summary=None, pii_scan_status="clean", quality_score=90,
        approved_by="dana", approved_at=datetime.now(UTC), reason="clean",
    )  # fmt: skip
    await ensure_events_topics(kafka_bootstrap, ["llmops.catalog.events", "llmops.dataset.events"])
    await publish_as_relay(
        kafka_bootstrap, "llmops.catalog.events", approved_model, stream_id=model
    )
    await publish_as_relay(kafka_bootstrap, "llmops.dataset.events", approved_data, stream_id=data)
    async with (
        hosted(definition, database_url, kafka_bootstrap) as host,
        CommandClient(kafka_bootstrap, actor_token=auth) as bus,
        read_client(host, auth) as http,
    ):
        assert host.resources is not None
        pool, schema = host.resources.pool, host.resources.schema

        async def known() -> int:
            return int(await pool.fetchval(
                f"SELECT (SELECT count(*) FROM {schema}.catalog_models WHERE model_entry_id = $1)"
                " + (SELECT count(*) FROM"
                f" {schema}.approved_datasets WHERE dataset_version_id = $2)",
                model, data,
            ))  # fmt: skip

        await eventually(known, lambda n: n == 2)
        job = {
            "model_entry_id": str(model), "dataset_ids": [str(data)], "owner_team": "nlp",
            "command": [sys.executable, "-c", TRAIN], "resource_profile": {"gpu_count": 2},
            "hyperparameters": {"lr": 0.0002},
        }  # fmt: skip
        refused = await bus.send(
            unique_name, "training.submit_job", job | {"model_entry_id": str(uuid.uuid4())}
        )
        assert (refused.accepted, refused.code) == (False, "model_not_approved")

        accepted = await bus.send(unique_name, "training.submit_job", job)
        assert accepted.accepted, accepted
        job_id = accepted.aggregate_id

        async def detail() -> dict[str, Any]:
            response = await http.get(f"/training-jobs/{job_id}")
            return response.json() if response.status_code == 200 else {}

        done = await eventually(detail, lambda j: j.get("status") in ("succeeded", "failed"))
        assert done["status"] == "succeeded", done
        assert done["output_artifact_uri"].startswith("file://")

        async def series() -> list[dict[str, Any]]:
            response = await http.get(
                f"/training-jobs/{job_id}/metrics", params={"name": "loss", "limit": 1000}
            )
            return list(response.json()["items"])

        loss = await eventually(series, lambda s: len(s) == 500)
        assert [p["step"] for p in loss] == list(range(500))
        succeeded = await published(kafka_bootstrap, unique_name, "training.job.succeeded")
        assert succeeded["payload"]["training_job_id"] == job_id
        assert succeeded["payload"]["gpu_count"] == 2 and succeeded["payload"]["gpu_hours"] > 0
