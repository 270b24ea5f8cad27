"""The catalog's read models as its typed projectors write them, in a real PostgreSQL."""

import json
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import asyncpg

from catalog_service.projections import projections
from catalog_service.views import CatalogViews
from llmops_events import catalog as contracts
from llmops_events import dataset as dataset_contracts
from llmops_events.evaluation import EvaluationRunCompleted, EvaluationRunCompletedV1
from llmops_events.training import TrainingJobSucceeded
from llmops_runtime.projections.projector import envelope_of

AT = datetime(2026, 11, 26, 6, 0, tzinfo=UTC)


async def test_own_and_consumed_events_fill_every_read_model(
    database_url: str, unique_name: str
) -> None:
    own, datasets, evaluations, *_governance = projections()
    version_id, alias_id, dataset_id, run_id = uuid4(), uuid4(), uuid4(), uuid4()
    conn = await asyncpg.connect(database_url)
    try:
        for projection in (own, datasets, evaluations):
            await projection.create_tables(conn, unique_name)
        await own.apply_batch(conn, unique_name, [  # type: ignore[misc]
            envelope_of(contracts.ModelVersionRegistered(
                model_version_id=version_id, name="bot", version="1", type="base",
                owner_team="ml", metadata={"k": 1}, storage_uri=None,
                lineage_dataset_ids=[dataset_id], registered_by="ana"), 1, AT),
            envelope_of(contracts.ModelVersionSubmitted(
                model_version_id=version_id, submitted_by="ana", reason="ready"), 2, AT),
            envelope_of(contracts.ModelAliasAssigned(
                model_alias_id=alias_id, name="bot", alias="prod", model_version_id=version_id,
                assigned_by="bob"), 3, AT),
            envelope_of(contracts.ModelAliasRemoved(
                model_alias_id=alias_id, name="bot", alias="prod",
                previous_model_version_id=version_id, removed_by="cy"), 4, AT),
        ])  # fmt: skip
        await datasets.apply_batch(conn, unique_name, [  # type: ignore[misc]
            envelope_of(dataset_contracts.DatasetVersionRegistered(
                dataset_version_id=dataset_id, name="d", version="v1", storage_uri="s3://d",
                owner_team="ml", change_log="c", previous_version=None,
                previous_version_id=None, diff_summary=None, registered_by="dana"), 1, AT),
        ])  # fmt: skip
        v1: dict[str, Any] = dict(
            model_entry_id=version_id, dataset_id=dataset_id, prompt_template_id=None,
            type="automated", status="completed", completed_at=AT, run_by="ci",
        )  # fmt: skip
        await evaluations.apply_batch(conn, unique_name, [  # type: ignore[misc]
            envelope_of(EvaluationRunCompletedV1(run_id=run_id, metrics={"f1": 0.9}, **v1), 1, AT),
            # v2 adds started_at and snapshot_digest; the catalog reads the v1 fields of both.
            envelope_of(EvaluationRunCompleted(
                run_id=uuid4(), metrics={"f1": 0.8}, started_at=AT, snapshot_digest="0" * 64,
                **v1), 2, AT),
        ] * 2)  # fmt: skip
        row = await conn.fetchrow(f"SELECT * FROM {unique_name}.model_versions")
        assert row is not None
        assert (row["status"], json.loads(row["metadata"])) == ("under_review", {"k": 1})
        assert json.loads(row["lineage_dataset_ids"]) == [str(dataset_id)]
        assert json.loads(row["last_transition"])["actor"] == "ana"
        alias = await conn.fetchrow(f"SELECT * FROM {unique_name}.model_aliases")
        assert alias is not None
        assert (alias["model_version_id"], alias["updated_by"]) == (None, "cy")
        known = await conn.fetchval(f"SELECT name FROM {unique_name}.known_dataset_versions")
        assert known == "d"
        runs = await conn.fetch(f"SELECT metrics FROM {unique_name}.evaluation_runs")
        assert sorted(json.loads(r["metrics"])["f1"] for r in runs) == [0.8, 0.9]
    finally:
        await conn.execute(f"DROP SCHEMA {unique_name} CASCADE")
        await conn.close()


async def test_succeeded_training_jobs_are_known_and_lineage_is_stored(
    database_url: str, unique_name: str
) -> None:
    own, *_others = projections()
    [training] = [p for p in projections() if p.name == "succeeded_training_jobs"]
    assert training.topic == "llmops.training.events"
    job_id, version_id = uuid4(), uuid4()
    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=2)
    try:
        async with pool.acquire() as conn:
            for projection in (own, training):
                await projection.create_tables(conn, unique_name)
            await training.apply_batch(conn, unique_name, [  # type: ignore[misc]
                envelope_of(TrainingJobSucceeded(
                    training_job_id=job_id, model_entry_id=uuid4(), dataset_ids=[],
                    owner_team="ml", output_artifact_uri="s3://out/1", attempts=1, gpu_count=1,
                    gpu_hours=0.5, started_at=AT, completed_at=AT), 1, AT),
            ])  # fmt: skip
            await own.apply_batch(conn, unique_name, [  # type: ignore[misc]
                envelope_of(contracts.ModelVersionRegistered(
                    model_version_id=version_id, name="bot", version="1", type="fine-tuned",
                    owner_team="ml", metadata={}, storage_uri="s3://out/1",
                    lineage_dataset_ids=[], registered_by="ana",
                    lineage_training_job_id=job_id), 1, AT),
            ])  # fmt: skip
            stored = await conn.fetchval(
                f"SELECT lineage_training_job_id FROM {unique_name}.model_versions"
            )
        assert stored == job_id
        views = CatalogViews(pool, unique_name)
        assert await views.training_job_succeeded(job_id) is True
        assert await views.training_job_succeeded(uuid4()) is False
    finally:
        await pool.execute(f"DROP SCHEMA {unique_name} CASCADE")
        await pool.close()
