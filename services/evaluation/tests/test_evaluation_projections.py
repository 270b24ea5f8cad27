"""The projections on the real PostgreSQL: dataset versions as benchmarks; runs equal a rebuild."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import uuid4

import asyncpg

from evaluation_service.domain import AGGREGATES
from evaluation_service.projections import datasets, projector
from evaluation_service.projections.tables import TABLES
from evaluation_service.views import EvaluationViews
from llmops_events import dataset as dataset_contracts
from llmops_events.base import EventContract
from llmops_events.evaluation import ItemScore
from llmops_runtime.eventstore import EventMetadata, EventStore, register_event_classes
from llmops_runtime.projections.projector import envelope_of
from llmops_runtime.relay.envelope import EventEnvelope

from .conftest import AT, make_run

REGISTERED: dict[str, Any] = dict(
    name="qa", version="v1", storage_uri="file:///data/qa.jsonl", owner_team="ml",
    change_log="first", previous_version=None,
)  # fmt: skip


async def test_only_an_approved_dataset_version_is_a_benchmark(
    database_url: str, unique_name: str
) -> None:
    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=2)
    try:
        async with pool.acquire() as conn:
            await TABLES.create_all(conn, unique_name)
        views = EvaluationViews(pool, unique_name)
        approved_id, pending_id, first_seen_approved = uuid4(), uuid4(), uuid4()
        events: list[EventContract] = [
            dataset_contracts.DatasetVersionRegistered(
                dataset_version_id=v, previous_version_id=None, diff_summary=None,
                registered_by="dana", **REGISTERED,
            )
            for v in (approved_id, pending_id)
        ] + [
            dataset_contracts.DatasetVersionApproved(
                dataset_version_id=v, immutable_snapshot=True, diff_summary=None,
                pii_scan_status="clean", quality_score=90.0, approved_by="erin", approved_at=AT,
                reason="ok", **REGISTERED,
            )
            for v in (approved_id, first_seen_approved)
        ]  # fmt: skip
        async with pool.acquire() as conn:
            envelopes = [envelope_of(e, n, AT) for n, e in enumerate(events, 1)]
            await datasets.apply_batch(conn, unique_name, envelopes * 2)  # duplicates: no change
        approved = await views.benchmark(approved_id)
        assert approved is not None and approved.approved
        assert approved.storage_uri == "file:///data/qa.jsonl"
        pending = await views.benchmark(pending_id)
        assert pending is not None and not pending.approved
        assert (await views.benchmark(first_seen_approved)) is not None
        assert await views.benchmark(uuid4()) is None
    finally:
        async with pool.acquire() as conn:
            await conn.execute(f"DROP SCHEMA IF EXISTS {unique_name} CASCADE")
        await pool.close()


async def _rows(conn: asyncpg.Connection, schema: str) -> list[list[dict[str, object]]]:
    return [
        [dict(r) for r in await conn.fetch(f"SELECT * FROM {schema}.{table} ORDER BY 1, 2")]
        for table in ("evaluation_runs", "evaluation_items")
    ]


async def test_the_runs_read_model_equals_a_rebuild_from_the_store(
    database_url: str, unique_name: str
) -> None:
    register_event_classes(*AGGREGATES)
    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=2)
    rebuilt = f"{unique_name}_rebuilt"
    try:
        store = EventStore(pool, unique_name)
        await store.create()
        human, judge, cancelled = make_run(), make_run(type="llm_judge"), make_run()
        score = [ItemScore(item_id="q1", score=0.5, comment="ok")]
        human.submit_human_scores(reviewer="ann", scores=score, at=AT)
        human.complete(at=AT + timedelta(minutes=1))
        judge.submit_judge_results(
            judge_model="j", judge_prompt_sha256="f" * 64, scores=score, by="ci", at=AT
        )
        cancelled.cancel(by="rita", reason="no longer needed")
        await store.save(human, judge, cancelled, metadata=EventMetadata(actor="t"))
        envelopes = [EventEnvelope.from_record(r) for r in await store.read_after(0)]
        async with pool.acquire() as conn:
            for schema in (unique_name, rebuilt):
                await TABLES.create_all(conn, schema)
            # Live: one event per batch, twice (redelivery); rebuild: everything in one batch.
            for env in envelopes + envelopes:
                await projector.apply_batch(conn, unique_name, [env])
            await projector.apply_batch(conn, rebuilt, envelopes)
            live, again = await _rows(conn, unique_name), await _rows(conn, rebuilt)
            assert live == again
            statuses = {r["run_id"]: r["status"] for r in live[0]}
            assert statuses == {
                human.id: "completed",
                judge.id: "running",
                cancelled.id: "cancelled",
            }
            assert len(live[1]) == 2  # q1 by ann, q1 by the judge
    finally:
        async with pool.acquire() as conn:
            await conn.execute(f"DROP SCHEMA IF EXISTS {unique_name} CASCADE")
            await conn.execute(f"DROP SCHEMA IF EXISTS {rebuilt} CASCADE")
        await pool.close()
