"""Operator actions behind the `llmops` CLI: verify the audit chain, rebuild, replay."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

import asyncpg

from llmops_runtime.events_topics import ensure_events_topics
from llmops_runtime.eventstore.reading import head_position, iterate_after
from llmops_runtime.eventstore.verify import BrokenRow, verify_chain
from llmops_runtime.projections.declaration import ProjectionLike
from llmops_runtime.projections.rebuild import rebuild_projections
from llmops_runtime.relay.anchors import AnchorBreak, compare_with_anchors, read_anchors
from llmops_runtime.relay.publisher import idempotent_producer, publish_envelopes
from llmops_runtime.relay.publishing import Publication, publish_everything
from llmops_runtime.service.migrate import regrant_service_role

# progress(done, total): total is the number of events expected, when known.
Progress = Callable[[int, int | None], Awaitable[None] | None]


async def _call(progress: Progress | None, done: int, total: int | None) -> None:
    if progress is not None:
        result = progress(done, total)
        if result is not None:
            await result


async def verify_audit_log(
    database_url: str,
    schema: str,
    progress: Progress | None = None,
    *,
    bootstrap: str | None = None,
    events_topic: str | None = None,
    checkpoint_key: str | None = None,
    unpublished_grace_s: float = 300.0,
) -> BrokenRow | AnchorBreak | None:
    """Recompute the hash chain, then compare it with what the relay published; first break.

    With bootstrap and events_topic, rows are compared with the hashes on the events topic and
    (with checkpoint_key) with the signed checkpoints: a chain rewritten and recomputed as a
    whole, deleted tail rows, reused positions and rows never published are found too.
    """
    conn = await asyncpg.connect(database_url)
    try:
        total = await head_position(conn, schema)

        async def report(position: int) -> None:
            await _call(progress, position, total)

        broken: list[BrokenRow | AnchorBreak] = []
        chain = await verify_chain(conn, schema, report)
        if chain is not None:
            broken.append(chain)
        if bootstrap is not None and events_topic is not None:
            anchors = await read_anchors(bootstrap, events_topic, schema, checkpoint_key)
            anchored = await compare_with_anchors(
                conn, schema, anchors, unpublished_grace_s=unpublished_grace_s
            )
            if anchored is not None:
                broken.append(anchored)
        return min(broken, key=lambda b: b.position) if broken else None
    finally:
        await conn.close()


async def rebuild(
    database_url: str,
    schema: str,
    projections: Sequence[ProjectionLike],
    *,
    bootstrap: str | None = None,
    progress: Callable[[str, int], Awaitable[None] | None] | None = None,
) -> dict[str, int]:
    """Rebuild the given projections of a service and swap them in; events applied per name."""
    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=4)
    try:
        counts = await rebuild_projections(
            pool, schema, projections, bootstrap=bootstrap, progress=progress
        )
        # The swapped-in tables are new, made by the owner: the service's role needs its grants.
        async with pool.acquire() as conn:
            await regrant_service_role(conn, schema)
        return counts
    finally:
        await pool.close()


async def replay_events(
    database_url: str,
    schema: str,
    bootstrap: str,
    to_topic: str,
    *,
    from_position: int = 1,
    partitions: int = 3,
    progress: Progress | None = None,
    publication: Publication | None = None,
) -> int:
    """Re-publish a service's history from a position to a topic (for a new consumer).

    With the service's publication, only its published events go out, as the relay sends
    them (internal events stay in the store). Returns how many events were published.
    """
    to_publish = publish_everything if publication is None else publication.envelopes
    # A replayed topic holds history too: unlimited retention, like every events topic.
    await ensure_events_topics(bootstrap, [to_topic], partitions=partitions)
    conn = await asyncpg.connect(database_url)
    producer = idempotent_producer(bootstrap, linger_ms=20)
    await producer.start()
    read = sent = 0
    try:
        total = max(0, await head_position(conn, schema) - from_position + 1)
        async for records in iterate_after(conn, schema, from_position - 1, batch_size=5000):
            envelopes = to_publish(records)
            if envelopes:
                await publish_envelopes(producer, to_topic, envelopes)
            read += len(records)
            sent += len(envelopes)
            await _call(progress, read, total)
    finally:
        await producer.stop()
        await conn.close()
    return sent
