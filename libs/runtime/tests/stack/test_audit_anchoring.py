"""Audit anchoring on the real stack: hashes on the events topic, signed checkpoints, verify."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
import pytest

from llmops_runtime.eventstore import EventStore, append_events, grant_application_role
from llmops_runtime.eventstore.hashing import chain_hash, content_text, parse_json
from llmops_runtime.eventstore.verify import BrokenRow, verify_chain
from llmops_runtime.operations import verify_audit_log
from llmops_runtime.relay import EventEnvelope, OutboxRelay
from llmops_runtime.relay.anchors import AnchorBreak, compare_with_anchors, read_anchors
from llmops_runtime.relay.checkpoints import (
    Checkpoint,
    Checkpointer,
    ensure_checkpoints_topic,
    signature_holds,
)
from llmops_testing.sample import Tally

pytestmark = pytest.mark.stack

KEY = "audit-checkpoint-test-key-held-outside-the-database"


async def relay_until_checkpointed(
    pool: asyncpg.Pool, store: EventStore, topic: str, bootstrap: str, kit, *, key: str = KEY
) -> None:
    """Run a relay (batches of 5, checkpoint every 5 events or 0.3 s) until the head is signed."""
    await ensure_checkpoints_topic(bootstrap, topic)
    head = await pool.fetchval(f"SELECT max(position) FROM {store.schema}.events")
    checkpointer = Checkpointer(key, store.schema, topic, every_events=5, every_s=0.3)
    relay = OutboxRelay(
        pool, store.schema, topic, bootstrap, batch_size=5, poll_interval_s=0.1,
        checkpointer=checkpointer,
    )  # fmt: skip
    task = asyncio.create_task(relay.run())
    try:
        for _ in range(600):  # up to 30 s
            if checkpointer.published_position == head:
                break
            await asyncio.sleep(0.05)
        assert checkpointer.published_position == head
    finally:
        await kit.stop(task)


async def verify(
    database_url: str, bootstrap: str, store: EventStore, topic: str, grace_s: float = 300
) -> BrokenRow | AnchorBreak | None:
    """`llmops audit verify` against the topic and its checkpoints."""
    return await verify_audit_log(
        database_url,
        store.schema,
        bootstrap=bootstrap,
        events_topic=topic,
        checkpoint_key=KEY,
        unpublished_grace_s=grace_s,
    )


async def rewrite_from(conn: asyncpg.Connection, schema: str, position: int, amount: int) -> None:
    """As the superuser: change the row at position and recompute every hash after it."""
    await conn.execute(f"ALTER TABLE {schema}.events DISABLE TRIGGER USER")
    await conn.execute(
        f"UPDATE {schema}.events SET payload = jsonb_set(payload, '{{amount}}', $2::text::jsonb)"
        " WHERE position = $1",
        position,
        str(amount),
    )
    rows = await conn.fetch(
        f"SELECT position, event_id, stream_id, stream_version, wire_type, schema_version,"
        f" payload::text, metadata::text, committed_at, prev_hash FROM {schema}.events"
        " WHERE position >= $1 ORDER BY position",
        position,
    )
    prev = rows[0]["prev_hash"]
    for row in rows:
        content = content_text(
            row["event_id"], row["stream_id"], row["stream_version"], row["wire_type"],
            row["schema_version"], parse_json(row["payload"]), parse_json(row["metadata"]),
        )  # fmt: skip
        digest = chain_hash(prev, row["position"], row["committed_at"], content)
        await conn.execute(
            f"UPDATE {schema}.events SET prev_hash = $2, hash = $3 WHERE position = $1",
            row["position"],
            prev,
            digest,
        )
        prev = digest
    await conn.execute(f"ALTER TABLE {schema}.events ENABLE TRIGGER USER")


async def delete_after(conn: asyncpg.Connection, schema: str, position: int) -> None:
    """As the superuser: delete the rows after position (the chain before them still holds)."""
    await conn.execute(f"ALTER TABLE {schema}.events DISABLE TRIGGER USER")
    await conn.execute(f"DELETE FROM {schema}.events WHERE position > $1", position)
    await conn.execute(f"ALTER TABLE {schema}.events ENABLE TRIGGER USER")


class TestPublishedAnchors:
    async def test_every_envelope_carries_its_hash_and_prev_hash(
        self, store: EventStore, pool: asyncpg.Pool, topic: str, kafka_bootstrap: str, kit
    ) -> None:
        await kit.save_tallies(store, 4)
        await relay_until_checkpointed(pool, store, topic, kafka_bootstrap, kit)
        records = await kit.read_topic(kafka_bootstrap, topic, 12)
        rows = {r.position: r for r in await store.read_after(0)}
        for record in records:
            env = EventEnvelope.from_json(record.value)
            assert env.hash == rows[env.position].hash
            assert env.prev_hash == rows[env.position].prev_hash

    async def test_signed_checkpoints_every_n_events_and_after_t_seconds(
        self, store: EventStore, pool: asyncpg.Pool, topic: str, kafka_bootstrap: str, kit
    ) -> None:
        await kit.save_tallies(store, 4)
        await relay_until_checkpointed(pool, store, topic, kafka_bootstrap, kit)
        name = topic.removesuffix(".events") + ".audit-checkpoints"
        checkpoints = [
            Checkpoint.from_json(r.value) for r in await kit.read_topic(kafka_bootstrap, name, 3)
        ]
        rows = {r.position: r for r in await store.read_after(0)}
        # 5 and 10 by count (batches of 5); 12, the rest, once 0.3 s passed.
        assert [c.position for c in checkpoints] == [5, 10, 12]
        for checkpoint in checkpoints:
            assert checkpoint.hash == rows[checkpoint.position].hash
            assert signature_holds(KEY, checkpoint)
            assert not signature_holds("another-key-the-relay-never-had", checkpoint)


class TestVerifyAgainstAnchors:
    async def test_an_intact_anchored_log_verifies(
        self, store: EventStore, pool: asyncpg.Pool, topic: str, kafka_bootstrap: str, kit,
        database_url: str,
    ) -> None:  # fmt: skip
        await kit.save_tallies(store, 4)
        await relay_until_checkpointed(pool, store, topic, kafka_bootstrap, kit)
        assert await verify(database_url, kafka_bootstrap, store, topic, 0) is None

    async def test_a_rewritten_row_with_the_whole_chain_recomputed_is_named(
        self, store: EventStore, pool: asyncpg.Pool, topic: str, kafka_bootstrap: str, kit,
        database_url: str,
    ) -> None:  # fmt: skip
        await kit.save_tallies(store, 4)
        await relay_until_checkpointed(pool, store, topic, kafka_bootstrap, kit)
        async with pool.acquire() as conn, conn.transaction():
            await rewrite_from(conn, store.schema, 8, 99)
        assert await verify_chain(pool, store.schema) is None  # internally consistent
        broken = await verify(database_url, kafka_bootstrap, store, topic)
        assert broken is not None
        assert broken.position == 8
        assert "differs from the event published" in broken.reason

    async def test_a_rewrite_is_named_by_the_checkpoints_alone(
        self, store: EventStore, pool: asyncpg.Pool, topic: str, kafka_bootstrap: str, kit,
        database_url: str,
    ) -> None:  # fmt: skip
        await kit.save_tallies(store, 4)
        await relay_until_checkpointed(pool, store, topic, kafka_bootstrap, kit)
        async with pool.acquire() as conn, conn.transaction():
            await rewrite_from(conn, store.schema, 8, 99)
        anchors = await read_anchors(kafka_bootstrap, topic, store.schema, KEY)
        anchors.published.clear()  # as if the events topic had expired
        broken = await compare_with_anchors(pool, store.schema, anchors)
        assert broken is not None
        # Checkpoints at 5, 10, 12: the change is narrowed to after 5, up to 10.
        assert broken.position == 10
        assert "after the checkpoint at 5" in broken.reason

    async def test_deleted_tail_rows_are_named(
        self, store: EventStore, pool: asyncpg.Pool, topic: str, kafka_bootstrap: str, kit,
        database_url: str,
    ) -> None:  # fmt: skip
        await kit.save_tallies(store, 4)
        await relay_until_checkpointed(pool, store, topic, kafka_bootstrap, kit)
        async with pool.acquire() as conn, conn.transaction():
            await delete_after(conn, store.schema, 9)
        assert await verify_chain(pool, store.schema) is None
        broken = await verify(database_url, kafka_bootstrap, store, topic)
        assert broken is not None
        assert broken.position == 10
        assert "rows deleted" in broken.reason

    async def test_a_reused_position_is_named(
        self, store: EventStore, pool: asyncpg.Pool, topic: str, kafka_bootstrap: str, kit,
        database_url: str,
    ) -> None:  # fmt: skip
        await kit.save_tallies(store, 4)
        await relay_until_checkpointed(pool, store, topic, kafka_bootstrap, kit)
        async with pool.acquire() as conn, conn.transaction():
            await delete_after(conn, store.schema, 9)
            # Rewind the relay too, so the replacement rows get published at the same positions.
            await conn.execute(f"UPDATE {store.schema}.relay_position SET position = 9")
        await kit.save_tallies(store, 1, increments=2)  # positions 10-12 again
        await relay_until_checkpointed(pool, store, topic, kafka_bootstrap, kit)
        assert await verify_chain(pool, store.schema) is None
        broken = await verify(database_url, kafka_bootstrap, store, topic)
        assert broken is not None
        assert broken.position == 10
        assert "position reused" in broken.reason

    async def test_a_row_forged_by_an_insert_only_role_is_named(
        self, store: EventStore, pool: asyncpg.Pool, topic: str, kafka_bootstrap: str, kit,
        database_url: str,
    ) -> None:  # fmt: skip
        await kit.save_tallies(store, 4)
        await relay_until_checkpointed(pool, store, topic, kafka_bootstrap, kit)
        role = f"app_{uuid.uuid4().hex[:8]}"
        await pool.execute(f"CREATE ROLE {role} LOGIN")
        async with pool.acquire() as admin:
            await grant_application_role(admin, store.schema, role)
        forger = await asyncpg.connect(database_url, user=role)
        try:
            async with forger.transaction():  # a valid chain link, straight by SQL
                await append_events(forger, store.schema, store.encode([Tally("f", uuid.uuid4())]))
        finally:
            await forger.close()
        assert await verify_chain(pool, store.schema) is None
        # Within the grace a relay may still be publishing it; past it, it was never published.
        assert await verify(database_url, kafka_bootstrap, store, topic) is None
        broken = await verify(database_url, kafka_bootstrap, store, topic, 0)
        assert broken is not None
        assert broken.position == 13
        assert "never published" in broken.reason

    async def test_a_checkpoint_signed_with_another_key_is_named(
        self, store: EventStore, pool: asyncpg.Pool, topic: str, kafka_bootstrap: str, kit,
        database_url: str,
    ) -> None:  # fmt: skip
        await kit.save_tallies(store, 4)
        await relay_until_checkpointed(
            pool, store, topic, kafka_bootstrap, kit, key="a-key-someone-else-made-up"
        )
        broken = await verify(database_url, kafka_bootstrap, store, topic)
        assert broken is not None
        assert broken.position == 5
        assert "signature" in broken.reason
