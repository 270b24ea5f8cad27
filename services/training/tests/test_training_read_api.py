"""Projections and the HTTP reads on the real PostgreSQL: jobs, history, metric series."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import uuid4

from llmops_events import catalog, dataset, governance
from llmops_runtime.auth import AllowAll  # noqa: F401  # imported first: a cycle in the runtime
from llmops_runtime.eventstore import EventMetadata, EventStore
from llmops_runtime.projections.projector import envelope_of
from llmops_runtime.relay.envelope import EventEnvelope
from llmops_testing.read_api import read_api, walk_pages
from training_service.definition import SERVICE
from training_service.domain import ExperimentMetricBatch, TrainingJob
from training_service.projections import TABLES, projector
from training_service.projections.consumed import datasets, models, overrides
from training_service.projections.metrics import apply_metrics
from training_service.views import TrainingViews

from .conftest import DATASET, MODEL, NOW


def _job() -> TrainingJob:
    return TrainingJob.submit(
        training_job_id=uuid4(), model_entry_id=MODEL, dataset_ids=[DATASET], job_type="finetune",
        hyperparameters={"lr": 0.1}, resource_profile={"gpu_count": 4}, command=["train"],
        scheduler_id="local", owner_team="nlp", model_status="approved",
        approved_dataset_ids={str(DATASET)}, actor="alice", now=NOW,
    )  # fmt: skip


async def test_jobs_and_their_metric_series_are_served_from_the_projection(
    database_url: str,
) -> None:
    async with read_api(database_url, SERVICE, TABLES) as api:
        store = EventStore(api.pool, api.schema)
        job, other = _job(), _job()
        job.start_attempt(runner="r", now=NOW)
        points = [
            {"name": n, "step": s, "value": s * 0.5} for s in range(1500) for n in ("acc", "loss")
        ]
        batch = ExperimentMetricBatch.record(
            training_job_id=job.id, attempt=1, points=points, actor="r"
        )
        await store.save(job, other, batch, metadata=EventMetadata(actor="alice"))
        job.succeed(attempt=1, output_artifact_uri="s3://out/j", now=NOW + timedelta(hours=1))
        await store.save(job, metadata=EventMetadata(actor="system"))
        envelopes = [EventEnvelope.from_record(r) for r in await store.read_after(0)]
        async with api.pool.acquire() as conn, conn.transaction():
            await projector.apply_batch(conn, api.schema, envelopes)
            await apply_metrics(conn, api.schema, envelopes)

        listed = await walk_pages(api.http, "/training-jobs", limit=1)
        assert {j["training_job_id"] for j in listed} == {str(job.id), str(other.id)}
        detail = (await api.http.get(f"/training-jobs/{job.id}")).json()
        assert (detail["status"], detail["output_artifact_uri"], detail["gpu_hours"]) == (
            "succeeded", "s3://out/j", 4.0,
        )  # fmt: skip
        assert detail["resource_profile"]["gpu_count"] == 4
        history = (await api.http.get(f"/training-jobs/{job.id}/history")).json()["items"]
        assert [e["type"] for e in history][-1] == "training.job.succeeded"

        loss = await walk_pages(
            api.http, f"/training-jobs/{job.id}/metrics", limit=1000, name="loss"
        )
        assert [p["step"] for p in loss] == list(range(1500))
        assert {p["name"] for p in loss} == {"loss"}
        every = await walk_pages(api.http, f"/training-jobs/{job.id}/metrics", limit=1000)
        assert len(every) == 3000
        missing = await api.http.get(f"/training-jobs/{uuid4()}/metrics")
        assert missing.status_code == 404


async def test_approvals_deprecations_and_overrides_are_projected(database_url: str) -> None:
    async with read_api(database_url, SERVICE, TABLES) as api:
        model, gone, data, job_id = uuid4(), uuid4(), uuid4(), uuid4()
        approve: dict[str, Any] = {
            "name": "m",
            "version": "1.0.0",
            "type": "base",
            "reviewer": "r",
            "reason": "ok",
        }
        approved = catalog.ModelVersionApproved
        events = [
            (models, approved(model_version_id=model, evaluation_run_ids=[], **approve)),
            (models, approved(model_version_id=gone, evaluation_run_ids=[], **approve)),
            (models, catalog.ModelVersionDeprecated(
                model_version_id=gone, deprecated_by="r", reason="old",
            )),
            (datasets, dataset.DatasetVersionApproved(
                dataset_version_id=data, immutable_snapshot=True, name="d", version="1",
                storage_uri="s3://d", owner_team="nlp", change_log="c", previous_version=None,
                diff_summary=None, pii_scan_status="clean", quality_score=None, approved_by="a",
                approved_at=NOW, reason="ok",
            )),
            (overrides, governance.RetryOverrideApproved(
                override_id=uuid4(), training_job_id=job_id, max_retries=6, approved_by="g",
                reason="flaky cluster",
            )),
        ]  # fmt: skip
        async with api.pool.acquire() as conn, conn.transaction():
            for n, (p, event) in enumerate(events, start=1):
                await p.apply_batch(conn, api.schema, [envelope_of(event, n, NOW)])
        views = TrainingViews(api.pool, api.schema)
        assert await views.model_status(model) == "approved"
        assert await views.model_status(gone) == "deprecated"
        assert await views.model_status(uuid4()) is None
        assert await views.approved_dataset_ids([data, uuid4()]) == {str(data)}
        assert await views.retry_override(job_id) == 6
