"""The local adapter: each attempt is a subprocess in a temporary working directory.

It runs as the service's BackgroundTask. It claims queued `local` jobs by appending their
attempt start (a ConcurrencyConflict means another runner claimed it first), streams the
process's JSON-line metrics in batches, kills the process group when the job is cancelled,
and records the end: success with the artifact URI, or failure under the retry policy.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import socket
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Protocol
from uuid import UUID, uuid4

import structlog

from llmops_domain.errors import DomainError
from llmops_events.training import MAX_METRIC_POINTS, MetricPoint
from llmops_runtime.eventstore import ConcurrencyConflict, EventMetadata, EventStore
from training_service.application.jobs import TrainingReadModel
from training_service.domain import ExperimentMetricBatch, TrainingJob, retry_limit
from training_service.scheduling.interface import JobSpec
from training_service.scheduling.output import parse_line

log = structlog.get_logger("llmops.training.local")
ACTOR = "system:scheduler-local"
# Only these variables reach a job: never the service's database password or signing keys.
LOST = "the local scheduler restarted while the attempt ran: the attempt was lost"
PASSED_ENV = ("PATH", "HOME", "LANG", "LC_ALL", "TZ", "PYTHONPATH", "VIRTUAL_ENV")


class JobQueue(Protocol):
    """Where the scheduler finds its work: the read model's jobs by scheduler and status."""

    async def jobs_of_scheduler(self, scheduler_id: str, status: str) -> list[UUID]:
        """Ids of the scheduler's jobs in this status, oldest first."""
        ...


class LocalScheduler:
    """Runs `local` jobs as subprocesses of the service (one replica: see the README)."""

    scheduler_id = "local"

    def __init__(
        self,
        store: EventStore,
        views: JobQueue,
        reads: TrainingReadModel,
        *,
        now: Callable[[], datetime],
        artifact_root: Path,
        poll_s: float = 1.0,
        metric_batch: int = 2_000,
        flush_s: float = 0.5,
        max_runtime_s: float = 86_400,
        kill_grace_s: float = 5.0,
    ) -> None:
        self._store, self._views, self._reads, self._now = store, views, reads, now
        self.artifact_root = Path(os.path.abspath(artifact_root))
        self._poll_s, self._flush_s = poll_s, flush_s
        self._batch = min(metric_batch, MAX_METRIC_POINTS)
        self._max_runtime_s, self._grace_s = max_runtime_s, kill_grace_s
        self.runner = f"local:{socket.gethostname()}:{os.getpid()}:{uuid4().hex[:8]}"
        self._running: dict[UUID, asyncio.Task[None]] = {}
        self._meta = EventMetadata(actor=ACTOR)

    # --- the loop --------------------------------------------------------------------------

    async def run(self) -> None:
        """Recover attempts a previous process left running, then run queued jobs forever."""
        try:
            await self.recover()
            while True:
                await self.tick()
                await asyncio.sleep(self._poll_s)
        finally:
            for task in self._running.values():
                task.cancel()
            await asyncio.gather(*self._running.values(), return_exceptions=True)

    async def recover(self) -> list[UUID]:
        """Fail (and so retry, if the policy allows) attempts no live runner holds."""
        recovered = []
        for job_id in await self._views.jobs_of_scheduler(self.scheduler_id, "running"):
            if job_id in self._running:
                continue
            lost = await self._change(job_id, self._lost)
            if lost is not None:
                recovered.append(job_id)
                log.warning("training_attempt_recovered", training_job_id=str(job_id))
        return recovered

    async def tick(self) -> None:
        """Start an attempt of every queued local job not already running here."""
        for job_id in await self._views.jobs_of_scheduler(self.scheduler_id, "queued"):
            if job_id in self._running:
                continue
            job = await self._change(job_id, self._start)
            if job is not None and job.status == "running" and job.runner == self.runner:
                await self.launch(JobSpec.of(job))

    def _start(self, job: TrainingJob, limit: int) -> None:
        job.start_attempt(runner=self.runner, now=self._now())

    def _lost(self, job: TrainingJob, limit: int) -> None:
        # Not among this process's running attempts (recover skips those): its process is
        # gone, whether another process ran it or this one before the task was restarted.
        if job.status == "running" and job.id not in self._running:
            self._fail(job, limit, None, LOST)

    async def launch(self, spec: JobSpec) -> None:
        """Run the attempt in a task of its own."""
        task = asyncio.create_task(self._attempt(spec), name=f"training-{spec.training_job_id}")
        self._running[spec.training_job_id] = task
        task.add_done_callback(lambda _: self._running.pop(spec.training_job_id, None))

    async def cancel(self, training_job_id: UUID) -> None:
        """Stop the attempt's process (the watcher does this when it sees the cancellation)."""
        task = self._running.get(training_job_id)
        if task is not None:
            task.cancel()

    async def wait_idle(self) -> None:
        """Wait for the attempts running now (tests)."""
        await asyncio.gather(*list(self._running.values()), return_exceptions=True)

    # --- one attempt -----------------------------------------------------------------------

    async def _attempt(self, spec: JobSpec) -> None:
        workdir = Path(tempfile.mkdtemp(prefix=f"llmops-training-{spec.training_job_id}-"))
        output = self.artifact_root / str(spec.training_job_id) / f"attempt-{spec.attempt}"
        output.mkdir(parents=True, exist_ok=True)
        try:
            await self._run_process(spec, workdir, output)
        except Exception:
            log.exception("training_attempt_crashed", training_job_id=str(spec.training_job_id))
            await self._end(spec, None, "the local scheduler failed to run the attempt", None)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)

    def _env(self, spec: JobSpec, output: Path) -> dict[str, str]:
        env = {k: os.environ[k] for k in PASSED_ENV if k in os.environ}
        return env | {
            "LLMOPS_TRAINING_JOB_ID": str(spec.training_job_id),
            "LLMOPS_TRAINING_ATTEMPT": str(spec.attempt),
            "LLMOPS_OUTPUT_DIR": str(output),
            "LLMOPS_HYPERPARAMETERS": json.dumps(spec.hyperparameters),
        }

    async def _run_process(self, spec: JobSpec, workdir: Path, output: Path) -> None:
        try:
            proc = await asyncio.create_subprocess_exec(
                *spec.command, cwd=workdir, env=self._env(spec, output),
                stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE, start_new_session=True,
            )  # fmt: skip
        except OSError as exc:
            await self._end(spec, None, f"cannot start {spec.command[0]!r}: {exc}", None)
            return
        log.info(
            "training_attempt_started", training_job_id=str(spec.training_job_id), pid=proc.pid
        )
        artifact: list[str] = []
        stderr_tail = bytearray()
        readers = asyncio.gather(
            self._stdout(spec, proc, artifact), self._stderr(proc, stderr_tail)
        )
        watcher = asyncio.create_task(self._watch(spec, proc))
        try:
            await asyncio.wait_for(asyncio.shield(readers), self._max_runtime_s)
            code = await proc.wait()
        except TimeoutError:
            await self._kill(proc)
            await self._end(spec, None, f"ran longer than {self._max_runtime_s:.0f} s", None)
            return
        except asyncio.CancelledError:
            await self._kill(proc)
            readers.cancel()
            raise
        finally:
            watcher.cancel()
        if watcher.done() and not watcher.cancelled() and watcher.result():
            return  # cancelled: the job already says so
        tail = stderr_tail.decode(errors="replace").strip()[-2_000:]
        reason = f"exit code {code}" + (f": {tail}" if tail else "")
        uri = artifact[-1] if artifact else output.as_uri()
        await self._end(spec, code, reason, uri if code == 0 else None)

    async def _stdout(
        self, spec: JobSpec, proc: asyncio.subprocess.Process, artifact: list[str]
    ) -> None:
        assert proc.stdout is not None
        buffer: list[MetricPoint] = []
        last = time.monotonic()
        while True:
            try:
                line = await proc.stdout.readline()
            except ValueError:  # a line over the stream limit: skip it
                continue
            if not line:
                break
            parsed = parse_line(line)
            if parsed is not None and parsed[0] == "metric":
                buffer.append(parsed[1])
            elif parsed is not None:
                artifact.append(parsed[1])
            if len(buffer) >= self._batch or (buffer and time.monotonic() - last > self._flush_s):
                await self._flush(spec, buffer)
                buffer, last = [], time.monotonic()
        if buffer:
            await self._flush(spec, buffer)

    @staticmethod
    async def _stderr(proc: asyncio.subprocess.Process, tail: bytearray) -> None:
        assert proc.stderr is not None
        while chunk := await proc.stderr.read(4096):
            tail.extend(chunk)
            del tail[:-4096]

    async def _flush(self, spec: JobSpec, points: list[MetricPoint]) -> None:
        job = await self._store.load(spec.training_job_id, aggregate_type=TrainingJob)
        try:
            assert job is not None
            job.check_metrics(spec.attempt)
        except DomainError as refused:
            log.info("training_metrics_dropped", reason=refused.code, count=len(points))
            return
        batch = ExperimentMetricBatch.record(
            training_job_id=spec.training_job_id, attempt=spec.attempt,
            points=[p.model_dump(mode="json", exclude_none=True) for p in points], actor=ACTOR,
        )  # fmt: skip
        await self._store.save(batch, metadata=self._meta)

    async def _watch(self, spec: JobSpec, proc: asyncio.subprocess.Process) -> bool:
        """Kill the process once the job is cancelled; True if it was."""
        while proc.returncode is None:
            await asyncio.sleep(self._poll_s)
            job = await self._store.load(spec.training_job_id, aggregate_type=TrainingJob)
            if job is not None and job.status == "cancelled":
                log.info("training_attempt_cancelled", training_job_id=str(spec.training_job_id))
                await self._kill(proc)
                return True
        return False

    async def _kill(self, proc: asyncio.subprocess.Process) -> None:
        """SIGTERM the process group, SIGKILL it after the grace period."""
        for sig in (signal.SIGTERM, signal.SIGKILL):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, sig)
            try:
                await asyncio.wait_for(proc.wait(), self._grace_s)
                return
            except TimeoutError:
                continue

    # --- recording -------------------------------------------------------------------------

    async def _end(self, spec: JobSpec, code: int | None, reason: str, uri: str | None) -> None:
        def end(job: TrainingJob, limit: int) -> None:
            if job.attempt != spec.attempt or job.status != "running":
                return  # cancelled or taken over meanwhile
            if uri is not None:
                job.succeed(attempt=spec.attempt, output_artifact_uri=uri, now=self._now())
            else:
                self._fail(job, limit, code, reason)

        await self._change(spec.training_job_id, end)

    def _fail(self, job: TrainingJob, limit: int, code: int | None, reason: str) -> None:
        job.fail_attempt(
            attempt=job.attempt, exit_code=code, reason=reason, retry_limit=limit, now=self._now()
        )

    async def _change(
        self, job_id: UUID, decide: Callable[[TrainingJob, int], None]
    ) -> TrainingJob | None:
        """Load, decide (with the job's retry limit), save; again on a conflict.

        None if the job is unknown, the decision refused or changed nothing."""
        for _ in range(5):
            job = await self._store.load(job_id, aggregate_type=TrainingJob)
            if job is None:
                return None
            limit = retry_limit(await self._reads.retry_override(job_id))
            try:
                decide(job, limit)
            except DomainError as refused:
                log.info("training_change_refused", training_job_id=str(job_id), code=refused.code)
                return None
            if not job.pending_events:
                return None
            try:
                await self._store.save(job, metadata=self._meta)
            except ConcurrencyConflict:
                continue
            return job
        return None
