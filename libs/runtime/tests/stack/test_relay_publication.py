"""The relay publishes only declared events, from their contracts, on the real stack."""

from __future__ import annotations

import asyncio
from typing import ClassVar
from uuid import UUID

import asyncpg
import pytest
from pydantic import BaseModel, ConfigDict

from llmops_runtime.eventstore import EventStore
from llmops_runtime.relay import EventEnvelope, OutboxRelay
from llmops_runtime.relay.publishing import Publication
from llmops_testing.sample import OPENED

pytestmark = pytest.mark.stack


class TallyOpened(BaseModel):
    """The public contract of a tally's opening."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    WIRE_NAME: ClassVar[str] = OPENED
    name: str
    owner: UUID


class TallyAnnounced(BaseModel):
    """Another public shape the translator maps an opening to."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    WIRE_NAME: ClassVar[str] = "runtime_sample.tally.announced"
    SCHEMA_VERSION: ClassVar[int] = 2
    title: str


async def _relay_all(relay: OutboxRelay, position: int, kit, topic: str) -> list[EventEnvelope]:
    """Run the relay until it has passed `position`, then read everything it published."""
    task = asyncio.create_task(relay.run())
    try:
        for _ in range(600):  # within 30 s
            if relay.position >= position:
                break
            await asyncio.sleep(0.05)
    finally:
        await kit.stop(task)
    assert relay.position == position
    records = await kit.read_topic(kit.bootstrap, topic, 1)
    return [EventEnvelope.from_json(r.value) for r in records]


class TestPublication:
    async def test_internal_events_stay_in_the_store_and_no_library_field_is_published(
        self, store: EventStore, pool: asyncpg.Pool, topic: str, kafka_bootstrap: str, kit
    ) -> None:
        # 3 tallies, each opened and incremented twice: only the 3 openings are published.
        await kit.save_tallies(store, 3)
        relay = OutboxRelay(
            pool, store.schema, topic, kafka_bootstrap, poll_interval_s=0.2,
            publication=Publication([TallyOpened]),
        )  # fmt: skip
        envelopes = await _relay_all(relay, 9, kit, topic)
        assert [e.wire_type for e in envelopes] == [OPENED] * 3
        for env in envelopes:
            # The stored payload also has originator_id, originator_version and timestamp.
            assert set(env.payload) == {"name", "owner"}
        stored = await pool.fetchval(f"SELECT position FROM {store.schema}.relay_position")
        assert stored == 9

    async def test_a_translator_publishes_the_public_contract_instead(
        self, store: EventStore, pool: asyncpg.Pool, topic: str, kafka_bootstrap: str, kit
    ) -> None:
        await kit.save_tallies(store, 1, increments=0)
        publication = Publication(
            [TallyOpened], {TallyOpened: lambda e: TallyAnnounced(title=f"tally {e.name}")}
        )
        relay = OutboxRelay(
            pool, store.schema, topic, kafka_bootstrap, poll_interval_s=0.2,
            publication=publication,
        )  # fmt: skip
        [env] = await _relay_all(relay, 1, kit, topic)
        assert (env.wire_type, env.schema_version) == ("runtime_sample.tally.announced", 2)
        assert env.payload == {"title": "tally t0000"}


class TestReplayPublishesWhatTheRelayPublishes:
    async def test_a_replay_with_the_publication_sends_only_published_events(
        self, store: EventStore, database_url: str, kafka_bootstrap: str, kit, unique_name: str
    ) -> None:
        from llmops_runtime.operations import replay_events

        await kit.save_tallies(store, 2)
        to_topic = f"{unique_name}.replay"
        published = await replay_events(
            database_url, store.schema, kafka_bootstrap, to_topic,
            publication=Publication([TallyOpened]),
        )  # fmt: skip
        assert published == 2  # of 6 stored: the increments are internal
        envelopes = [
            EventEnvelope.from_json(r.value)
            for r in await kit.read_topic(kafka_bootstrap, to_topic, 2)
        ]
        assert [e.wire_type for e in envelopes] == [OPENED] * 2
        assert all(set(e.payload) == {"name", "owner"} for e in envelopes)
