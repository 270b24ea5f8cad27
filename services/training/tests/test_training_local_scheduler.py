"""The local scheduler runs real subprocesses against a real event store (PostgreSQL)."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import pytest

from llmops_runtime.eventstore import EventStore
from llmops_runtime.eventstore.records import EventMetadata
from training_service.application.jobs import utc_now
from training_service.domain import TrainingJob
from training_service.scheduling import LocalScheduler
from training_service.scheduling.local import LOST

from .conftest import DATASET, MODEL, FakeReads

pytestmark = pytest.mark.timeout(120)


@dataclass
class StoreQueue:
    """The read model's queue, computed from the store (these tests run no projection)."""

    store: EventStore
    ids: list[UUID]

    async def jobs_of_scheduler(self, scheduler_id: str, status: str) -> list[UUID]:
        found = []
        for job_id in self.ids:
            job = await self.store.load(job_id, aggregate_type=TrainingJob)
            if job is not None and job.status == status and job.scheduler_id == scheduler_id:
                found.append(job_id)
        return found


@dataclass
class Rig:
    store: EventStore
    queue: StoreQueue
    reads: FakeReads
    scheduler: LocalScheduler

    async def submit(self, script: str, *args: str) -> UUID:
        job = TrainingJob.submit(
            training_job_id=uuid4(), model_entry_id=MODEL,
            dataset_ids=[DATASET], job_type="finetune", hyperparameters={"epochs": 2},
            resource_profile={"gpu_count": 1}, command=[sys.executable, "-c", script, *args],
            scheduler_id="local", owner_team="nlp", model_status="approved",
            approved_dataset_ids={str(DATASET)}, actor="alice", now=utc_now(),
        )  # fmt: skip
        await self.store.save(job, metadata=EventMetadata(actor="alice"))
        self.queue.ids.append(job.id)
        return job.id

    async def job(self, job_id: UUID) -> TrainingJob:
        job = await self.store.load(job_id, aggregate_type=TrainingJob)
        assert job is not None
        return job

    async def until(self, job_id: UUID, *statuses: str, idle: bool = True) -> TrainingJob:
        """Run the scheduler's ticks until the job reaches one of the statuses."""
        for _ in range(1200):
            await self.scheduler.tick()
            job = await self.job(job_id)
            if job.status in statuses:
                if idle:
                    await self.scheduler.wait_idle()
                return await self.job(job_id)
            await asyncio.sleep(0.05)
        raise AssertionError(f"job stayed {job.status}")

    async def metric_points(self, job_id: UUID) -> list[dict[str, Any]]:
        rows = await self.store.pool.fetch(
            f"SELECT payload FROM {self.store.schema}.events"
            " WHERE wire_type = 'training.metrics.recorded' AND payload->>'training_job_id' = $1"
            " ORDER BY position",
            str(job_id),
        )
        payloads = [json.loads(r["payload"]) for r in rows]
        return [{"step": s} for p in payloads for s in p["steps"]]


@pytest.fixture
async def rig(database_url: str, unique_name: str, tmp_path: Path) -> AsyncIterator[Rig]:
    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=4)
    store = EventStore(pool, unique_name)
    await store.create()
    queue, reads = StoreQueue(store, []), FakeReads()
    scheduler = LocalScheduler(
        store, queue, reads, now=utc_now, artifact_root=tmp_path / "artifacts", poll_s=0.1,
        metric_batch=100, flush_s=0.2, kill_grace_s=2,
    )  # fmt: skip
    try:
        yield Rig(store, queue, reads, scheduler)
    finally:
        await pool.close()


METRICS_THEN_EXIT = """
import json, os, sys
for step in range(250):
    print(json.dumps({"metric": "loss", "step": step, "value": 1.0 / (step + 1)}), flush=True)
print("a plain log line")
open(os.path.join(os.environ["LLMOPS_OUTPUT_DIR"], "model.bin"), "w").write("weights")
sys.exit(int(sys.argv[1]))
"""
# Fails until it has run `needed` times (the count kept in a file outside its temp dir).
FAIL_UNTIL = """
import pathlib, sys
counter = pathlib.Path(sys.argv[1])
runs = int(counter.read_text()) + 1 if counter.exists() else 1
counter.write_text(str(runs))
sys.exit(0 if runs >= int(sys.argv[2]) else 3)
"""


async def test_a_job_streams_its_metrics_and_succeeds_with_its_artifact(rig: Rig) -> None:
    job_id = await rig.submit(METRICS_THEN_EXIT, "0")
    job = await rig.until(job_id, "succeeded")
    assert job.output_artifact_uri is not None and job.output_artifact_uri.startswith("file://")
    weights = Path(job.output_artifact_uri.removeprefix("file://"), "model.bin")
    assert weights.read_text() == "weights"  # noqa: ASYNC240
    points = await rig.metric_points(job_id)
    assert [p["step"] for p in points] == list(range(250))  # in batches of at most 100
    assert job.attempt == 1


async def test_a_failed_attempt_is_retried_and_then_succeeds(rig: Rig, tmp_path: Path) -> None:
    job_id = await rig.submit(FAIL_UNTIL, str(tmp_path / "count"), "2")
    job = await rig.until(job_id, "succeeded", "failed")
    assert (job.status, job.attempt) == ("succeeded", 2)
    history = [r.wire_type for r in await rig.store.history(job_id)]
    assert history.count("training.job.attempt_failed") == 1


async def test_the_fourth_retry_is_refused_without_an_override(rig: Rig, tmp_path: Path) -> None:
    job_id = await rig.submit(FAIL_UNTIL, str(tmp_path / "count"), "5")
    job = await rig.until(job_id, "succeeded", "failed")
    assert (job.status, job.attempt) == ("failed", 4)  # the first run and 3 retries
    history = await rig.store.history(job_id)
    failed = next(r.payload for r in history if r.wire_type == "training.job.failed")
    assert "3 retries are used up" in failed["reason"]


async def test_the_fourth_retry_is_allowed_by_a_governance_override(
    rig: Rig, tmp_path: Path
) -> None:
    job_id = await rig.submit(FAIL_UNTIL, str(tmp_path / "count"), "5")
    rig.reads.overrides[job_id] = 4
    job = await rig.until(job_id, "succeeded", "failed")
    assert (job.status, job.attempt) == ("succeeded", 5)


async def test_cancel_kills_the_running_process(rig: Rig, tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"
    script = "import os, sys, time; open(sys.argv[1], 'w').write(str(os.getpid())); time.sleep(600)"
    job_id = await rig.submit(script, str(pid_file))
    await rig.until(job_id, "running", idle=False)
    for _ in range(100):
        if pid_file.exists() and pid_file.read_text():
            break
        await asyncio.sleep(0.05)
    pid = int(pid_file.read_text())
    job = await rig.job(job_id)
    job.cancel(actor="bob", reason="not needed", now=utc_now())
    await rig.store.save(job, metadata=EventMetadata(actor="bob"))
    for _ in range(200):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        await asyncio.sleep(0.05)
    else:
        raise AssertionError("the process is still alive")
    await rig.scheduler.wait_idle()
    assert (await rig.job(job_id)).status == "cancelled"


async def test_an_attempt_left_running_by_a_crash_is_recovered_and_retried(rig: Rig) -> None:
    job_id = await rig.submit(METRICS_THEN_EXIT, "0")
    job = await rig.job(job_id)
    job.start_attempt(runner="local:crashed-host:1:dead", now=utc_now())
    await rig.store.save(job, metadata=EventMetadata(actor="system:scheduler-local"))
    assert await rig.scheduler.recover() == [job_id]
    job = await rig.until(job_id, "succeeded")
    assert job.attempt == 2
    failure = [r for r in await rig.store.history(job_id) if r.wire_type.endswith("attempt_failed")]
    assert "restarted" in failure[0].payload["reason"]


async def test_a_restarted_scheduler_task_recovers_the_attempts_it_was_running(rig: Rig) -> None:
    job_id = await rig.submit("import time; time.sleep(600)")
    runner = asyncio.create_task(rig.scheduler.run())
    for _ in range(200):
        if (await rig.job(job_id)).status == "running":
            break
        await asyncio.sleep(0.05)
    runner.cancel()  # as the host does on stop or after a crash: the process is killed
    await asyncio.gather(runner, return_exceptions=True)
    assert await rig.scheduler.recover() == [job_id]
    job = await rig.job(job_id)
    assert (job.status, job.attempt, job.last_failure) == ("queued", 1, LOST)
