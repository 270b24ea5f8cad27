"""Unit level: revoked partitions are not sought, and only a broker outage re-reads a batch."""

from __future__ import annotations

import asyncio
from typing import Any, cast

import pytest
from aiokafka import TopicPartition
from aiokafka.errors import (
    IllegalStateError,
    InvalidTopicError,
    KafkaConnectionError,
    MessageSizeTooLargeError,
)
from aiokafka.structs import ConsumerRecord

from llmops_events.envelope import CommandResult
from llmops_runtime.auth import AuthSettings, TokenVerifier
from llmops_runtime.commands import CommandConsumer, CommandRegistry
from llmops_runtime.commands.headers import DLQ_REASON
from llmops_runtime.commands.intake import Incoming
from llmops_runtime.commands.outcome import Outcome
from llmops_runtime.commands.publish import ReplyPublisher
from llmops_runtime.eventstore import EventStore

KEPT = TopicPartition("llmops.t.commands", 0)
REVOKED = TopicPartition("llmops.t.commands", 1)


class FakeConsumer:
    """Seeks like aiokafka: a partition no longer assigned raises IllegalStateError."""

    def __init__(self, owner: CommandConsumer) -> None:
        self.owner = owner
        self.sought: list[tuple[TopicPartition, int]] = []

    def assignment(self) -> set[TopicPartition]:
        return {KEPT}

    def seek(self, tp: TopicPartition, offset: int) -> None:
        if tp not in self.assignment():
            raise IllegalStateError(f"No current assignment for partition {tp}")
        self.sought.append((tp, offset))

    async def getmany(self, **_: Any) -> dict[TopicPartition, list[Any]]:
        self.owner._stopping.set()
        return {}

    def highwater(self, tp: TopicPartition) -> int | None:
        return None


def consumer_with_fake() -> tuple[CommandConsumer, FakeConsumer]:
    verifier = TokenVerifier(AuthSettings())
    consumer = CommandConsumer(
        "t", "unused:9092", cast(EventStore, None), CommandRegistry(), verifier
    )
    fake = FakeConsumer(consumer)
    consumer._consumer = cast(Any, fake)
    return consumer, fake


def record(partition: int, offset: int) -> ConsumerRecord[bytes, bytes]:
    return ConsumerRecord("llmops.t.commands", partition, offset, 0, 0, b"k", b"{}", None, 1, 2, [])


async def test_rewind_after_a_rebalance_seeks_only_assigned_partitions() -> None:
    consumer, fake = consumer_with_fake()
    consumer._rewind = {KEPT: 3, REVOKED: 7}
    await consumer.run()  # one loop: would raise IllegalStateError on REVOKED before the fix
    assert fake.sought == [(KEPT, 3)]
    assert consumer._rewind == {}


def test_seek_back_skips_revoked_partitions() -> None:
    consumer, fake = consumer_with_fake()
    consumer._seek_back({KEPT: [record(0, 5)], REVOKED: [record(1, 9)]})
    assert fake.sought == [(KEPT, 5)]


class FakeCluster:
    """Cluster metadata in which the reply topic exists."""

    def topics(self) -> set[str]:
        return {"llmops.replies.x"}

    async def fetch_all_metadata(self) -> FakeCluster:
        return self


class FakeProducer:
    """Refuses sends to the reply topic with the given error; dead letters succeed."""

    def __init__(self, error: Exception) -> None:
        self.error = error
        self.client = FakeCluster()
        self.sent: list[tuple[str, list[tuple[str, bytes]]]] = []

    async def send(self, topic: str, value: bytes, **kw: Any) -> asyncio.Future[Any]:
        if topic != "dlq":
            raise self.error
        self.sent.append((topic, kw.get("headers") or []))
        done: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        done.set_result(None)
        return done


def answerable() -> Outcome:
    item = Incoming("c1", "corr", "llmops.replies.x", None)
    return Outcome(item, CommandResult(command_id="c1", status="rejected", code="x"))


@pytest.mark.parametrize("error", [MessageSizeTooLargeError(), InvalidTopicError(), ValueError()])
async def test_a_reply_refused_for_good_is_dead_lettered(error: Exception) -> None:
    producer = FakeProducer(error)
    publisher = ReplyPublisher(cast(Any, producer), "t", "dlq", 1.0)
    acks = await publisher.publish([answerable()], [record(0, 1)])
    await asyncio.gather(*acks)
    [(_, headers)] = producer.sent
    reason = dict(headers)[DLQ_REASON].decode()
    assert reason == f"the reply could not be sent: {type(error).__name__}"


async def test_a_broker_outage_still_rewinds_the_batch() -> None:
    producer = FakeProducer(KafkaConnectionError())
    publisher = ReplyPublisher(cast(Any, producer), "t", "dlq", 1.0)
    with pytest.raises(KafkaConnectionError):
        await publisher.publish([answerable()], [record(0, 1)])
    assert producer.sent == []
