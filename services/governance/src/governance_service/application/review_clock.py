"""The 90-day clock: active policies whose review is due are recorded overdue."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from uuid import UUID

import structlog

from governance_service.application.clock import Clock
from governance_service.domain import GovernancePolicy
from llmops_runtime.eventstore import ConcurrencyConflict, EventMetadata, EventStore

CLOCK_ACTOR = "system:review-clock"
log = structlog.get_logger("llmops.governance")

# due_policies(now, period) -> ids of active, not-overdue policies due by now (the read model).
DuePolicies = Callable[[datetime, timedelta], Awaitable[Sequence[UUID]]]


class ReviewClock:
    """Finds due policies in the read model and records `review_overdue` through the store."""

    def __init__(
        self,
        store: EventStore,
        due_policies: DuePolicies,
        *,
        now: Clock,
        period: timedelta,
        check_every_s: float,
    ) -> None:
        self._store = store
        self._due = due_policies
        self._now = now
        self.period = period
        self._every = check_every_s

    async def tick(self) -> list[UUID]:
        """One pass; the ids of the policies this pass marked overdue."""
        now = self._now()
        marked = []
        for policy_id in await self._due(now, self.period):
            try:
                if await self._mark(policy_id, now):
                    marked.append(policy_id)
            except Exception:
                # One policy that cannot be loaded or saved must not stop the others' clocks.
                log.exception("policy_review_check_failed", policy_id=str(policy_id))
        return marked

    async def _mark(self, policy_id: UUID, now: datetime) -> bool:
        # The read model only nominates: the aggregate decides, and the append is checked.
        policy = await self._store.load(policy_id, aggregate_type=GovernancePolicy)
        if policy is None or not policy.check_review_due(now, self.period):
            return False
        try:
            await self._store.save(policy, metadata=EventMetadata(actor=CLOCK_ACTOR))
        except ConcurrencyConflict:
            return False  # another replica recorded it, or a review came in first
        log.info("policy_review_overdue", policy_id=str(policy_id), policy=policy.name)
        return True

    async def run(self) -> None:
        """Tick forever (the host restarts it after a crash)."""
        while True:
            await self.tick()
            await asyncio.sleep(self._every)
