"""The review clock over a real event store: due policies marked once, whoever else ticks."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime, timedelta
from uuid import UUID

import asyncpg
import pytest

from governance_service.application.clock import ManualClock
from governance_service.application.review_clock import ReviewClock
from governance_service.domain import AGGREGATES, GovernancePolicy
from llmops_runtime.eventstore import EventStore, register_event_classes

T0 = datetime(2026, 1, 1, tzinfo=UTC)
PERIOD = timedelta(days=90)
RULES = [{"kind": "max_training_retries", "max_retries": 1}]


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[EventStore]:
    """An empty event store in a fresh schema."""
    register_event_classes(*AGGREGATES)
    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=6)
    schema = f"gov_{uuid.uuid4().hex[:10]}"
    created = EventStore(pool, schema)
    await created.create()
    yield created
    await pool.execute(f"DROP SCHEMA {schema} CASCADE")
    await pool.close()


async def _active(store: EventStore) -> GovernancePolicy:
    policy = GovernancePolicy.draft(name="p", scope="model", rules=RULES, actor="gina")
    policy.activate(actor="gina", reason="go", at=T0)
    await store.save(policy)
    return policy


def _clock_over(store: EventStore, clock: ManualClock, ids: Sequence[UUID]) -> ReviewClock:
    async def nominated(now: datetime, period: timedelta) -> Sequence[UUID]:
        return ids  # the read model's nomination; the aggregate decides

    return ReviewClock(store, nominated, now=clock, period=PERIOD, check_every_s=0.01)


async def _overdue_events(store: EventStore, policy_id: UUID) -> int:
    history = await store.history(policy_id)
    return sum(r.wire_type == "governance.policy.review_overdue" for r in history)


async def test_nothing_is_marked_before_the_period_ends(store: EventStore) -> None:
    policy = await _active(store)
    clock = ManualClock(T0 + PERIOD - timedelta(seconds=1))
    assert await _clock_over(store, clock, [policy.id]).tick() == []
    assert await _overdue_events(store, policy.id) == 0


async def test_two_replicas_ticking_together_record_overdue_once(store: EventStore) -> None:
    policy = await _active(store)
    clock = ManualClock(T0 + PERIOD)
    replicas = [_clock_over(store, clock, [policy.id]) for _ in range(3)]
    marked = await asyncio.gather(*(r.tick() for r in replicas))
    assert sum(len(m) for m in marked) == 1
    assert await _overdue_events(store, policy.id) == 1
    # A later tick finds it overdue already.
    clock.advance(timedelta(days=1))
    assert await replicas[0].tick() == []


async def test_a_stale_nomination_of_a_reviewed_policy_is_not_marked(store: EventStore) -> None:
    policy = await _active(store)
    policy.review(reviewer="rita", decision="approved", notes="ok", at=T0 + PERIOD)
    await store.save(policy)
    clock = ManualClock(T0 + PERIOD + timedelta(seconds=1))
    assert await _clock_over(store, clock, [policy.id, uuid.uuid4()]).tick() == []
