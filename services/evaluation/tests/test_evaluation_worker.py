"""The scoring worker on the real PostgreSQL with real files, and the read API over its runs."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from evaluation_service.definition import SERVICE
from evaluation_service.domain import AGGREGATES, BenchmarkSnapshot, EvaluationRun
from evaluation_service.projections import projector
from evaluation_service.projections.tables import TABLES
from evaluation_service.scoring.files import ReadLimits
from evaluation_service.scoring.worker import RunScorer
from evaluation_service.views import EvaluationViews
from llmops_events.evaluation import RUN_ITEMS_MAX
from llmops_runtime.eventstore import EventMetadata, EventStore, register_event_classes
from llmops_runtime.relay.envelope import EventEnvelope
from llmops_testing.read_api import ReadApi, read_api, walk_pages

from .conftest import AT, DATASET_ID

STALE = timedelta(minutes=10)
MiB = 1024 * 1024
READABLE = ReadLimits(MiB, (Path(tempfile.gettempdir()),))


@dataclass
class Stage:
    """The service's store, read model and HTTP API over a fresh schema, and a test clock."""

    api: ReadApi
    store: EventStore
    views: EvaluationViews
    now: datetime
    projected: int = 0

    def scorer(self) -> RunScorer:
        return RunScorer(
            self.store, self.views.runs_to_score, now=lambda: self.now, limits=READABLE,
            stale_after=STALE, poll_every_s=0.05,
        )  # fmt: skip

    async def project(self) -> None:
        """Apply the events appended since the last call to the own-events read model."""
        records = await self.store.read_after(self.projected)
        async with self.api.pool.acquire() as conn, conn.transaction():
            envelopes = [EventEnvelope.from_record(r) for r in records]
            await projector.apply_batch(conn, self.api.schema, envelopes)
        if records:
            self.projected = records[-1].position

    async def queue(self, snapshot_uri: str, predictions_uri: str) -> UUID:
        benchmark = BenchmarkSnapshot(str(DATASET_ID), snapshot_uri, approved=True)
        run = EvaluationRun.queue(
            model_version_id=UUID(int=7), dataset_version_id=DATASET_ID, benchmark=benchmark,
            type="automated", predictions_uri=predictions_uri, actor="ci",
        )  # fmt: skip
        await self.store.save(run, metadata=EventMetadata(actor="ci"))
        await self.project()
        return run.id

    async def run_json(self, run_id: UUID) -> dict[str, Any]:
        response = await self.api.http.get(f"/evaluation-runs/{run_id}")
        assert response.status_code == 200, response.text
        return dict(response.json())

    async def wire_types(self, run_id: UUID) -> list[str]:
        return [r.wire_type for r in await self.store.history(run_id)]


@pytest.fixture
async def stage(database_url: str) -> AsyncIterator[Stage]:
    register_event_classes(*AGGREGATES)
    async with read_api(database_url, SERVICE, TABLES) as api:
        store = EventStore(api.pool, api.schema)
        yield Stage(api, store, EvaluationViews(api.pool, api.schema), AT)


async def test_a_good_pair_of_files_completes_the_run_with_items_and_metrics(
    stage: Stage, files: Callable[..., tuple[str, str]]
) -> None:
    run_id = await stage.queue(*files())
    assert await stage.scorer().tick() == [run_id]
    await stage.project()
    run = await stage.run_json(run_id)
    assert run["status"] == "completed"
    assert run["metrics"]["exact_match"] == pytest.approx(1 / 3, abs=1e-6)
    assert set(run["metrics"]) == {
        "exact_match", "token_f1", "rouge_l", "bleu", "corpus_bleu", "items",
    }  # fmt: skip
    assert len(run["snapshot_digest"]) == 64 and run["started_at"] == AT.isoformat()
    items = await walk_pages(stage.api.http, f"/evaluation-runs/{run_id}/items", limit=2)
    assert [(i["item_id"], i["scorer"]) for i in items] == [
        ("q1", "metrics"), ("q2", "metrics"), ("q3", "metrics"),
    ]  # fmt: skip
    q1 = items[0]["scores"]
    assert (q1["exact_match"], q1["token_f1"], q1["rouge_l"]) == (1.0, 1.0, 1.0)
    assert 0 < q1["bleu"] < 1  # "paris." against "Paris": the stray full stop is a token
    assert await stage.wire_types(run_id) == [
        "evaluation.run.queued", "evaluation.run.started", "evaluation.run.scored",
        "evaluation.run.completed",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("broken", "reason"),
    [
        ("missing", "predictions file not found"),
        ("malformed", "predictions line 1: not valid JSON"),
        ("mismatch", "ids do not match: no prediction for 'q2', 'q3'"),
    ],
)
async def test_bad_files_fail_the_run_with_the_reason(
    stage: Stage, files: Callable[..., tuple[str, str]], tmp_path: Path, broken: str, reason: str
) -> None:
    snapshot, predictions = files(predictions=[{"id": "q1", "prediction": "Paris"}])
    if broken == "missing":
        predictions = (tmp_path / "absent.jsonl").as_uri()
    elif broken == "malformed":
        (tmp_path / "bad.jsonl").write_bytes(b"\xff\xfe not json\n")
        predictions = (tmp_path / "bad.jsonl").as_uri()
    run_id = await stage.queue(snapshot, predictions)
    assert await stage.scorer().tick() == [run_id]
    await stage.project()
    run = await stage.run_json(run_id)
    assert run["status"] == "failed"
    assert run["failure_reason"].startswith(reason)
    assert run["metrics"] == {}


async def test_two_replicas_score_one_run_once(
    stage: Stage, files: Callable[..., tuple[str, str]]
) -> None:
    run_id = await stage.queue(*files())
    first, second = stage.scorer(), stage.scorer()
    results = await asyncio.gather(first.score(run_id), second.score(run_id))
    assert sorted(results) == [False, True]
    types = await stage.wire_types(run_id)
    assert types.count("evaluation.run.started") == 1
    assert types.count("evaluation.run.completed") == 1


async def test_a_run_left_running_by_a_crashed_worker_is_claimed_again_once_stale(
    stage: Stage, files: Callable[..., tuple[str, str]]
) -> None:
    run_id = await stage.queue(*files())
    crashed = await stage.store.load(run_id, aggregate_type=EvaluationRun)
    assert crashed is not None
    crashed.claim(worker="gone", now=stage.now, stale_after=STALE)
    await stage.store.save(crashed, metadata=EventMetadata(actor="gone"))
    await stage.project()
    assert await stage.scorer().tick() == []  # still within the claim's time
    stage.now += STALE + timedelta(seconds=1)
    assert await stage.scorer().tick() == [run_id]
    await stage.project()
    run = await stage.run_json(run_id)
    assert (run["status"], run["attempts"]) == ("completed", 2)


async def test_a_cancelled_run_is_left_alone(
    stage: Stage, files: Callable[..., tuple[str, str]]
) -> None:
    run_id = await stage.queue(*files())
    run = await stage.store.load(run_id, aggregate_type=EvaluationRun)
    assert run is not None
    run.cancel(by="rita", reason="wrong predictions")
    await stage.store.save(run, metadata=EventMetadata(actor="rita"))
    await stage.project()
    assert await stage.scorer().tick() == []
    assert (await stage.run_json(run_id))["status"] == "cancelled"


async def test_runs_are_listed_with_filters_and_have_a_history(
    stage: Stage, files: Callable[..., tuple[str, str]]
) -> None:
    good = await stage.queue(*files())
    other = await stage.queue(*files(predictions=[]))
    await stage.scorer().tick()
    await stage.project()
    http = stage.api.http
    listed = await walk_pages(http, "/evaluation-runs", limit=1)
    assert {r["run_id"] for r in listed} == {str(good), str(other)}
    failed = await walk_pages(http, "/evaluation-runs", limit=10, status="failed", type="automated")
    assert [r["run_id"] for r in failed] == [str(other)]
    by_dataset = await walk_pages(
        http, "/evaluation-runs", limit=10, dataset_version_id=str(DATASET_ID)
    )
    assert len(by_dataset) == 2
    history = (await http.get(f"/evaluation-runs/{good}/history")).json()["items"]
    assert len(history) == 4
    assert (await http.get(f"/evaluation-runs/{UUID(int=1)}/items")).status_code == 404
    as_of = await http.get(f"/evaluation-runs/{good}", params={"as_of": "2100-01-01T00:00:00Z"})
    assert as_of.json()["status"] == "completed"


async def test_the_largest_run_allowed_fits_its_events_and_one_more_item_fails_it(
    stage: Stage, files: Callable[..., tuple[str, str]]
) -> None:
    ids = [f"{n:04d}".ljust(200, "x") for n in range(RUN_ITEMS_MAX)]  # longest ids allowed
    snapshot = [{"id": i, "input": "q", "reference": "a b c"} for i in ids]
    predictions = [{"id": i, "prediction": "a b d"} for i in ids]
    largest = await stage.queue(*files(snapshot, predictions))
    extra = {"id": "one-more", "input": "q", "reference": "a"}
    too_many = await stage.queue(*files([*snapshot, extra], predictions))
    assert sorted(await stage.scorer().tick()) == sorted([largest, too_many])
    await stage.project()
    assert (await stage.run_json(largest))["metrics"]["items"] == RUN_ITEMS_MAX
    failed = await stage.run_json(too_many)
    assert failed["failure_reason"] == f"snapshot file has more than {RUN_ITEMS_MAX} items"
