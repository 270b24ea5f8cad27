"""The worker scoring queued automated runs, inside the service (a runtime BackgroundTask).

The read model only nominates runs; the aggregate decides, and every save is checked against
its stream's version: of two replicas claiming one run, one append fails and that replica
leaves the run alone. A run left running by a crashed worker is claimed again once it has been
running for `stale_after`, and fails after MAX_ATTEMPTS claims.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from uuid import UUID

import structlog

from evaluation_service.domain import EvaluationRun
from evaluation_service.scoring.files import ReadLimits
from evaluation_service.scoring.scoring import Scored, score_run
from llmops_events.evaluation import AutomatedItemResult
from llmops_runtime.eventstore import ConcurrencyConflict, EventMetadata, EventStore

WORKER_ACTOR = "system:evaluation-worker"
log = structlog.get_logger("llmops.evaluation")

# runs_to_score(stale_before) -> ids of queued automated runs and of those running since before.
RunsToScore = Callable[[datetime], Awaitable[Sequence[UUID]]]


class RunScorer:
    """Claims, scores and completes automated runs, one at a time."""

    def __init__(
        self,
        store: EventStore,
        runs_to_score: RunsToScore,
        *,
        now: Callable[[], datetime],
        limits: ReadLimits,
        stale_after: timedelta,
        poll_every_s: float,
    ) -> None:
        self._store = store
        self._runs = runs_to_score
        self._now = now
        self.limits = limits
        self.stale_after = stale_after
        self._every = poll_every_s

    async def tick(self) -> list[UUID]:
        """One pass over the nominated runs; the ids of those this pass finished."""
        finished = []
        for run_id in await self._runs(self._now() - self.stale_after):
            try:
                if await self.score(run_id):
                    finished.append(run_id)
            except Exception:
                # One run that cannot be loaded or saved must not stop the others.
                log.exception("evaluation_run_scoring_failed", run_id=str(run_id))
        return finished

    async def _save(self, run: EvaluationRun) -> bool:
        try:
            await self._store.save(run, metadata=EventMetadata(actor=WORKER_ACTOR))
        except ConcurrencyConflict:
            return False  # another replica claimed it, or it was cancelled meanwhile
        return True

    async def score(self, run_id: UUID) -> bool:
        """Claim the run, score its files and complete (or fail) it; False if not this pass's."""
        run = await self._store.load(run_id, aggregate_type=EvaluationRun)
        if run is None or not run.claimable(self._now(), self.stale_after):
            return False
        claimed = run.claim(worker=WORKER_ACTOR, now=self._now(), stale_after=self.stale_after)
        if not await self._save(run):
            return False
        if not claimed:
            return True  # failed: its attempts ran out
        assert run.predictions_uri is not None  # an automated run is queued with one
        outcome = await asyncio.to_thread(
            score_run, run.snapshot_uri, run.predictions_uri, limits=self.limits
        )
        if isinstance(outcome, Scored):
            run.record_automated_scores(
                items=[AutomatedItemResult(**vars(i)) for i in outcome.items],
                metrics=outcome.metrics, snapshot_digest=outcome.snapshot_digest,
                predictions_digest=outcome.predictions_digest, at=self._now(),
            )  # fmt: skip
        else:
            run.fail(reason=outcome.reason, at=self._now(), snapshot_digest=outcome.snapshot_digest)
        saved = await self._save(run)
        log.info("evaluation_run_scored", run_id=str(run_id), status=run.status, saved=saved)
        return saved

    async def run(self) -> None:
        """Score forever (the host restarts it after a crash)."""
        while True:
            await self.tick()
            await asyncio.sleep(self._every)
