"""Operator functions behind the CLI: verify, replay, rebuild, with progress."""

from __future__ import annotations

import uuid

import asyncpg
import pytest

from llmops_runtime.eventstore import EventStore
from llmops_runtime.operations import rebuild, replay_events, verify_audit_log
from llmops_runtime.relay import EventEnvelope
from llmops_testing.sample import tally_projection

pytestmark = pytest.mark.stack


class TestVerify:
    async def test_an_intact_log_verifies_with_progress(
        self, store: EventStore, database_url: str, kit
    ) -> None:
        await kit.save_tallies(store, 3)
        seen: list[tuple[int, int | None]] = []
        assert (
            await verify_audit_log(database_url, store.schema, lambda d, t: seen.append((d, t)))
            is None
        )
        assert seen[-1] == (9, 9)

    async def test_a_deleted_row_in_the_middle_breaks_the_chain(
        self, store: EventStore, pool: asyncpg.Pool, database_url: str, kit
    ) -> None:
        await kit.save_tallies(store, 3)
        async with pool.acquire() as conn, conn.transaction():
            await conn.execute(f"ALTER TABLE {store.schema}.events DISABLE TRIGGER USER")
            await conn.execute(f"DELETE FROM {store.schema}.events WHERE position = 4")
            await conn.execute(f"ALTER TABLE {store.schema}.events ENABLE TRIGGER USER")
        broken = await verify_audit_log(database_url, store.schema)
        assert broken is not None
        assert broken.position == 5


class TestReplay:
    async def test_history_from_a_position_is_republished_to_a_new_topic(
        self, store: EventStore, database_url: str, kafka_bootstrap: str, kit
    ) -> None:
        await kit.save_tallies(store, 4, increments=1)  # positions 1..8
        topic = f"replay.{uuid.uuid4().hex[:8]}"
        progress: list[tuple[int, int | None]] = []
        sent = await replay_events(
            database_url,
            store.schema,
            kafka_bootstrap,
            topic,
            from_position=3,
            progress=lambda d, t: progress.append((d, t)),
        )
        assert sent == 6
        assert progress[-1] == (6, 6)
        records = await kit.read_topic(kafka_bootstrap, topic, 6)
        positions = sorted(EventEnvelope.from_json(r.value).position for r in records)
        assert positions == [3, 4, 5, 6, 7, 8]


class TestRebuild:
    async def test_rebuild_reports_progress_and_counts(
        self, store: EventStore, pool: asyncpg.Pool, database_url: str, kit
    ) -> None:
        await kit.save_tallies(store, 5)
        names: list[str] = []
        counts = await rebuild(
            database_url,
            store.schema,
            [tally_projection(None)],
            progress=lambda n, c: names.append(n),
        )
        assert counts == {"tally_totals": 15}
        assert names and set(names) == {"tally_totals"}
        assert len(await kit.totals(pool, store.schema)) == 5
