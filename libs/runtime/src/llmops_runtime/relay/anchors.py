"""Comparing a store's hash chain with what left the database: checkpoints and published events."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from aiokafka import AIOKafkaConsumer, TopicPartition

from llmops_runtime.eventstore.reading import Executor, iterate_after
from llmops_runtime.kafka_security import kafka_security
from llmops_runtime.relay.checkpoints import Checkpoint, checkpoints_topic, signature_holds
from llmops_runtime.topics import topic_partitions


@dataclass(frozen=True, slots=True)
class AnchorBreak:
    """The first position where the store disagrees with its anchors outside the database."""

    position: int
    reason: str


@dataclass(slots=True)
class Anchors:
    """What the relay published: signed checkpoints and each published position's hashes."""

    checkpoints: list[Checkpoint] = field(default_factory=list)
    # position -> every distinct hash published for it (two means the position was reused)
    published: dict[int, set[bytes]] = field(default_factory=dict)
    bad_signatures: list[int] = field(default_factory=list)

    def published_head(self) -> int:
        """The highest position published or checkpointed."""
        heads = [*self.published, *(c.position for c in self.checkpoints), 0]
        return max(heads)


async def _records(bootstrap: str, topic: str) -> AsyncIterator[bytes]:
    # Every partition from its beginning up to the end offsets present when reading starts.
    assigned = [TopicPartition(topic, p) for p in await topic_partitions(bootstrap, topic)]
    if not assigned:
        return
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, **kafka_security(), enable_auto_commit=False
    )
    await consumer.start()
    try:
        consumer.assign(assigned)
        await consumer.seek_to_beginning(*assigned)
        ends = await consumer.end_offsets(assigned)
        remaining = {tp for tp in assigned if ends[tp] > await consumer.position(tp)}
        idle_polls = 0
        while remaining:
            batches = await consumer.getmany(*remaining, timeout_ms=1000)
            idle_polls = 0 if batches else idle_polls + 1
            if idle_polls >= 30:  # an anchor left unread must not pass as "no anchor"
                raise TimeoutError(f"{topic} could not be read to its end within 30 s")
            for tp, batch in batches.items():
                for record in batch:
                    if record.offset < ends[tp] and record.value is not None:
                        yield record.value
                if await consumer.position(tp) >= ends[tp]:
                    remaining.discard(tp)
    finally:
        await consumer.stop()


async def _nothing() -> AsyncIterator[bytes]:
    return
    yield  # an empty async generator


async def read_anchors(bootstrap: str, events_topic: str, schema: str, key: str | None) -> Anchors:
    """Read the checkpoints (checking each signature; skipped without key) and published hashes."""
    anchors = Anchors()
    checkpoints = checkpoints_topic(events_topic) if key is not None else None
    async for value in _records(bootstrap, checkpoints) if checkpoints else _nothing():
        try:
            checkpoint = Checkpoint.from_json(value)
        except (ValueError, KeyError, TypeError):
            anchors.bad_signatures.append(0)
            continue
        if checkpoint.schema != schema:
            continue
        if key is not None and signature_holds(key, checkpoint):
            anchors.checkpoints.append(checkpoint)
        else:
            anchors.bad_signatures.append(checkpoint.position)
    async for value in _records(bootstrap, events_topic):
        try:
            body = json.loads(value)
            position, digest = int(body["position"]), bytes.fromhex(body["hash"])
        except (ValueError, KeyError, TypeError):
            continue  # envelopes published before they carried their hash
        anchors.published.setdefault(position, set()).add(digest)
    return anchors


async def compare_with_anchors(
    db: Executor, schema: str, anchors: Anchors, *, unpublished_grace_s: float = 300.0
) -> AnchorBreak | None:
    """The first position where the store's rows disagree with anchors, or None."""
    found: list[AnchorBreak] = []
    if anchors.bad_signatures:
        first = min(anchors.bad_signatures)
        found.append(AnchorBreak(first, "a checkpoint's signature does not verify"))
    for position, hashes in anchors.published.items():
        if len(hashes) > 1:
            found.append(AnchorBreak(position, "position reused: two different events published"))
    checkpointed = {c.position: c.hash for c in anchors.checkpoints}
    stale_before = datetime.now(UTC) - timedelta(seconds=unpublished_grace_s)
    head, row_broken = 0, False
    async for batch in iterate_after(db, schema, 0):
        for record in batch:
            p, head = record.position, record.position
            published = anchors.published.get(p)
            if published is not None and record.hash not in published:
                row_broken = True
                found.append(
                    AnchorBreak(p, "row differs from the event published at this position")
                )
            if p in checkpointed and checkpointed[p] != record.hash:
                row_broken = True
                earlier = max((c for c in checkpointed if c < p), default=0)
                reason = (
                    "row differs from the signed checkpoint: changed at or before it,"
                    f" after the checkpoint at {earlier}"
                )
                found.append(AnchorBreak(p, reason))
            if (
                published is None
                and p > anchors.published_head()
                and record.committed_at < stale_before
            ):
                reason = (
                    f"row never published by the relay within {unpublished_grace_s:g} s"
                    " (forged by SQL, or the relay is down)"
                )
                row_broken = True
                found.append(AnchorBreak(p, reason))
        if row_broken:
            break  # the first disagreeing row is in this batch
    if not row_broken and anchors.published_head() > head:
        reason = f"rows deleted: published up to {anchors.published_head()}, store ends at {head}"
        found.append(AnchorBreak(head + 1, reason))
    return min(found, key=lambda b: b.position) if found else None
