"""The event store's guarantees, on the real PostgreSQL."""

from __future__ import annotations

import asyncio
import random
import uuid
from typing import ClassVar

import asyncpg
import pytest
from eventsourcing.domain import Aggregate, event

from llmops_runtime.eventstore import (
    ConcurrencyConflict,
    EventMetadata,
    EventStore,
    NewEvent,
    append_events,
    grant_application_role,
    verify_chain,
)
from llmops_testing.sample import Tally

pytestmark = pytest.mark.stack


class TestOptimisticConcurrency:
    async def test_two_writers_on_one_aggregate_exactly_one_wins(self, store: EventStore) -> None:
        tally = Tally("t", uuid.uuid4())
        await store.save(tally)
        first = await store.load(tally.id, aggregate_type=Tally)
        second = await store.load(tally.id, aggregate_type=Tally)
        assert first is not None and second is not None
        first.increment(1)
        second.increment(2)
        results = await asyncio.gather(
            store.save(first), store.save(second), return_exceptions=True
        )
        assert sum(isinstance(r, ConcurrencyConflict) for r in results) == 1
        versions = [r.stream_version for r in await store.history(tally.id)]
        assert versions == [1, 2]

    async def test_a_conflict_in_one_aggregate_appends_nothing_for_the_others(
        self, store: EventStore
    ) -> None:
        stale = Tally("stale", uuid.uuid4())
        await store.save(stale)
        copy = await store.load(stale.id, aggregate_type=Tally)
        assert copy is not None
        stale.increment(1)
        await store.save(stale)
        copy.increment(5)
        fresh = Tally("fresh", uuid.uuid4())
        with pytest.raises(ConcurrencyConflict):
            await store.save(fresh, copy)
        assert await store.history(fresh.id) == []
        assert len(await store.history(stale.id)) == 2


class TestCommitOrder:
    async def test_tailing_reader_sees_every_event_in_commit_order(
        self, store: EventStore, pool: asyncpg.Pool
    ) -> None:
        committed: list[int] = []

        async def writer() -> None:
            for _ in range(15):
                async with pool.acquire() as conn:
                    async with conn.transaction():
                        tally = Tally("w", uuid.uuid4())
                        tally.increment(1)
                        positions = await store.append(conn, store.encode([tally]))
                        # A slow commit: others queue on the lock, the reader keeps polling.
                        await asyncio.sleep(random.uniform(0, 0.01))
                    committed.extend(positions)

        seen: list[int] = []
        done = asyncio.Event()

        async def tailer() -> None:
            position = 0
            while not (done.is_set() and position == max(committed, default=0)):
                for record in await store.read_after(position, 7):
                    seen.append(record.position)
                    position = record.position
                await asyncio.sleep(0)

        reader = asyncio.create_task(tailer())
        await asyncio.gather(*(writer() for _ in range(4)))
        done.set()
        await asyncio.wait_for(reader, 20)
        assert seen == list(range(1, 121))
        assert sorted(committed) == seen


class TestImmutability:
    @pytest.mark.parametrize(
        "statement",
        [
            "UPDATE {s}.events SET wire_type = 'x'",
            "DELETE FROM {s}.events",
            "TRUNCATE {s}.events",
        ],
    )
    async def test_changes_are_refused(
        self, store: EventStore, pool: asyncpg.Pool, statement: str
    ) -> None:
        await store.save(Tally("t", uuid.uuid4()))
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="append-only"):
            await pool.execute(statement.format(s=store.schema))
        assert len(await store.read_after(0)) == 1

    async def test_verify_names_a_row_altered_with_the_trigger_disabled(
        self, store: EventStore, pool: asyncpg.Pool
    ) -> None:
        for i in range(5):
            tally = Tally(f"t{i}", uuid.uuid4())
            tally.increment(i)
            await store.save(tally, metadata=EventMetadata(actor="alice"))
        assert await verify_chain(pool, store.schema) is None
        s = store.schema
        async with pool.acquire() as conn, conn.transaction():
            await conn.execute(f"ALTER TABLE {s}.events DISABLE TRIGGER events_append_only")
            await conn.execute(
                f"UPDATE {s}.events SET payload = jsonb_set(payload, '{{amount}}', '99')"
                " WHERE position = 6"
            )
            await conn.execute(f"ALTER TABLE {s}.events ENABLE TRIGGER events_append_only")
        broken = await verify_chain(pool, s)
        assert broken is not None
        assert broken.position == 6

    async def test_a_negative_zero_payload_verifies_after_the_jsonb_round_trip(
        self, store: EventStore, pool: asyncpg.Pool
    ) -> None:
        event = NewEvent(uuid.uuid4(), 1, "tally.scored", 1, {"x": -0.0, "y": [-0.0]}, uuid.uuid4())
        async with pool.acquire() as conn, conn.transaction():
            await store.append(conn, [event])
        assert await verify_chain(pool, store.schema) is None

    async def test_application_role_can_append_and_read_but_not_update(
        self, store: EventStore, pool: asyncpg.Pool, database_url: str
    ) -> None:
        role = f"app_{uuid.uuid4().hex[:8]}"
        await pool.execute(f"CREATE ROLE {role} LOGIN")
        async with pool.acquire() as admin:
            await grant_application_role(admin, store.schema, role)
        conn = await asyncpg.connect(database_url, user=role)
        try:
            tally = Tally("t", uuid.uuid4())
            async with conn.transaction():
                await append_events(conn, store.schema, store.encode([tally]))
            assert await conn.fetchval(f"SELECT count(*) FROM {store.schema}.events") == 1
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await conn.execute(f"UPDATE {store.schema}.events SET wire_type = 'x'")
        finally:
            await conn.close()


class TestTimeTravel:
    async def test_load_as_of_version_and_timestamp(self, store: EventStore) -> None:
        tally = Tally("t", uuid.uuid4())
        tally.increment(1)
        await store.save(tally)
        middle = (await store.history(tally.id))[-1].committed_at
        tally.increment(10)
        await store.save(tally)
        latest = await store.load(tally.id, aggregate_type=Tally)
        as_of_version = await store.load(tally.id, version=1, aggregate_type=Tally)
        as_of_time = await store.load(tally.id, as_of=middle, aggregate_type=Tally)
        assert latest is not None and as_of_version is not None and as_of_time is not None
        assert (latest.total, as_of_version.total, as_of_time.total) == (11, 0, 1)
        assert isinstance(latest.owner, uuid.UUID)
        history = await store.history(tally.id)
        assert [r.wire_type for r in history] == [
            "runtime_sample.tally.opened",
            "runtime_sample.tally.incremented",
            "runtime_sample.tally.incremented",
        ]
        assert history[2].payload["amount"] == 10


class Note(Aggregate):
    class Written(Aggregate.Created):
        wire_name: ClassVar[str] = "runtime_test.note.written"
        class_version = 2
        text: str
        language: str

        @staticmethod
        def upcast_v1_v2(state: dict[str, object]) -> None:
            state["language"] = "en"

    @event(Written)
    def __init__(self, text: str, language: str) -> None:
        self.text = text
        self.language = language


class TestUpcasting:
    async def test_event_stored_with_an_old_class_version_loads_through_its_upcaster(
        self, store: EventStore, pool: asyncpg.Pool
    ) -> None:
        current = store.encode([Note("hello", "fr")])[0]
        assert current.schema_version == 2
        old_payload = {k: v for k, v in current.payload.items() if k != "language"}
        old = NewEvent(current.stream_id, 1, current.wire_type, 1, old_payload, uuid.uuid4())
        async with pool.acquire() as conn, conn.transaction():
            await store.append(conn, [old])
        note = await store.load(old.stream_id, aggregate_type=Note)
        assert note is not None
        assert (note.text, note.language) == ("hello", "en")
