"""A 3-node KRaft cluster loses the leader of a busy partition mid-load and loses nothing.

`llmops dev up --brokers 3` starts three combined broker+controller nodes from the same jars
(every topic replicated 3 times, min.insync.replicas 2) and every service on them, in a
temporary LLMOPS_HOME. 2,000 commands go to the dataset service (200 versions registered, each
then scored 9 times in turn: ten events under one key); once 300 are answered, the node leading
partition 0 of the dataset events topic is killed with SIGKILL. Every command is answered once
(re-sent under its id after a timeout); every event of every accepted command reaches the
events topic, and each key's events are on it in stream order. The pause is written to
test-artifacts/broker-failover.json.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient

from llmops_cli.services import installed_definitions
from llmops_cli.supervisor import service_ports
from llmops_runtime.auth import dev_signing_key, issue_token
from llmops_runtime.auth.settings import DEV_ISSUER
from llmops_runtime.client import CommandClient
from llmops_runtime.relay.envelope import EventEnvelope
from llmops_runtime.resend import Answered, send_until_answered
from llmops_runtime.topics import events_topic
from tests.integration.dev_stack import (
    REGISTER,
    assert_each_command_landed_once,
    llmops,
    state,
    wait_ready,
)

pytestmark = pytest.mark.stack

DATASETS = 200
SCORES = 9
COMMANDS = DATASETS * (SCORES + 1)
SCORE = "dataset.record_quality_score"
KILL_AFTER_ANSWERS = 300
TOPIC = events_topic("dataset")
ARTIFACT = Path(__file__).resolve().parents[2] / "test-artifacts" / "broker-failover.json"


@pytest.fixture
def three_node_stack(tmp_path: Path) -> Iterator[Path]:
    started = llmops(tmp_path, "dev", "up", "--detach", "--brokers", "3", timeout=300)
    assert started.returncode == 0, started.stderr + started.stdout
    try:
        yield tmp_path
    finally:
        llmops(tmp_path, "dev", "down")


def registration(dataset: int) -> dict[str, str]:
    return {
        "name": f"replicated-{dataset}", "version": "1", "storage_uri": f"s3://d/{dataset}/",
        "owner_team": "data", "change_log": "load while a broker dies",
    }  # fmt: skip


async def partition_leaders(bootstrap: str, topic: str) -> dict[int, tuple[int, list[int]]]:
    """Each partition's leader node and in-sync replicas, as the cluster reports them."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=5000)
    await admin.start()
    try:
        described = await admin.describe_topics([topic])
    finally:
        await admin.close()
    return {p["partition"]: (p["leader"], p["isr"]) for p in described[0]["partitions"]}


async def new_leader(bootstrap: str, topic: str, dead: int, within_s: float) -> int:
    """Partition 0's leader once it is a node other than `dead`."""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        try:
            leader, _ = (await partition_leaders(bootstrap, topic))[0]
        except Exception:
            leader = -1
        if leader not in (-1, dead):
            return leader
        await asyncio.sleep(0.05)
    raise AssertionError(f"partition 0 of {topic} has no new leader within {within_s} s")


async def topic_events(bootstrap: str, wanted: set[str], within_s: float) -> list[EventEnvelope]:
    """The topic's events from the start, once every wanted event id has arrived."""
    consumer = AIOKafkaConsumer(
        TOPIC, bootstrap_servers=bootstrap, auto_offset_reset="earliest",
        enable_auto_commit=False, group_id=None,
    )  # fmt: skip
    found: list[EventEnvelope] = []
    seen: set[str] = set()
    await consumer.start()
    try:
        deadline = time.monotonic() + within_s
        while not wanted <= seen:
            assert time.monotonic() < deadline, f"{len(wanted - seen)} events never arrived"
            batches = await consumer.getmany(timeout_ms=500, max_records=5000)
            for records in batches.values():
                for record in records:
                    assert record.value is not None
                    envelope = EventEnvelope.from_json(record.value)
                    found.append(envelope)
                    seen.add(str(envelope.event_id))
    finally:
        await consumer.stop()
    return found


@pytest.mark.timeout(900)
async def test_the_leader_of_a_busy_partition_dies_and_no_acknowledged_event_is_lost(
    three_node_stack: Path,
) -> None:
    home = three_node_stack
    info = state(home)
    bootstrap = info["bootstrap_servers"]
    nodes = {int(node): pid for node, pid in info["kafka_node_pids"].items()}
    assert sorted(nodes) == [1, 2, 3]
    assert await wait_ready(service_ports()["dataset"], 120), "dataset never became ready"
    leaders = await partition_leaders(bootstrap, TOPIC)
    assert all(len(isr) == 3 for _, isr in leaders.values()), leaders
    token = issue_token("loader", dev_signing_key(home / "dev-signing-key"), DEV_ISSUER)
    ids = [str(uuid.uuid4()) for _ in range(COMMANDS)]
    answered_at: list[float] = []
    first_answers = asyncio.Event()

    async def send(client: CommandClient, index: int, wire_type: str, payload: dict[str, Any],
                   key: str | None = None) -> Answered:  # fmt: skip
        outcome = await send_until_answered(
            client, "dataset", wire_type, payload, command_id=ids[index], key=key,
            attempt_timeout_s=5, attempts=30,
        )  # fmt: skip
        answered_at.append(time.monotonic())
        if len(answered_at) >= KILL_AFTER_ANSWERS:
            first_answers.set()
        return outcome

    async def versions_of(client: CommandClient, dataset: int) -> list[Answered]:
        """Register a version, then score it SCORES times: one key, ten events in order."""
        first = dataset * (SCORES + 1)
        registered = await send(client, first, REGISTER, registration(dataset))
        version_id = registered.result.aggregate_id
        assert version_id is not None, registered.result
        outcomes = [registered]
        for step in range(1, SCORES + 1):
            payload = {"dataset_version_id": version_id, "quality_score": step * 10}
            outcomes.append(await send(client, first + step, SCORE, payload, key=version_id))
        return outcomes

    async with CommandClient(bootstrap, actor_token=token) as client:
        chains = asyncio.gather(*(versions_of(client, d) for d in range(DATASETS)))
        await asyncio.wait_for(first_answers.wait(), 180)
        victim = (await partition_leaders(bootstrap, TOPIC))[0][0]
        os.kill(nodes[victim], signal.SIGKILL)
        killed_at = time.monotonic()
        answered_before_kill = len(answered_at)
        assert answered_before_kill < COMMANDS, "the load finished before the kill"
        survivors = ",".join(
            server for node, server in zip(sorted(nodes), bootstrap.split(","), strict=True)
            if node != victim
        )  # fmt: skip
        successor = await new_leader(survivors, TOPIC, victim, 60)
        leader_elected_s = time.monotonic() - killed_at
        outcomes = [o for chain in await asyncio.wait_for(chains, 600) for o in chain]
        all_answered_s = time.monotonic() - killed_at

    rejected = {(o.result.code, o.result.message) for o in outcomes if not o.result.accepted}
    assert not rejected, rejected
    assert [o.result.command_id for o in outcomes] == ids
    await assert_each_command_landed_once(info["database_url"], outcomes)
    publication = installed_definitions()["dataset"].publication()
    assert publication is not None
    conn = await asyncpg.connect(info["database_url"])
    try:
        rows = await conn.fetch(
            "SELECT event_id::text FROM dataset.events WHERE wire_type = ANY($1::text[])",
            publication.wire_types(),
        )
    finally:
        await conn.close()
    stored = {row["event_id"] for row in rows}
    acknowledged = {event_id for o in outcomes for event_id in o.result.event_ids}
    assert len(acknowledged & stored) >= COMMANDS, "the commands' published events are stored"
    published = await topic_events(survivors, stored, within_s=180)
    assert {str(e.event_id) for e in published} == stored, "an event on the topic is not stored"
    first_seen: dict[str, EventEnvelope] = {}
    for envelope in published:
        first_seen.setdefault(str(envelope.event_id), envelope)
    by_key: dict[str, list[int]] = defaultdict(list)
    for envelope in first_seen.values():
        by_key[str(envelope.stream_id)].append(envelope.stream_version)
    out_of_order = {k: v for k, v in by_key.items() if v != sorted(v) or len(set(v)) != len(v)}
    assert not out_of_order, f"events of {len(out_of_order)} keys out of stream order"
    scored = [v for v in by_key.values() if len(v) == SCORES + 1]
    assert len(scored) == DATASETS, "each scored version's events are all on the topic"
    after_kill = sorted(t for t in answered_at if t >= killed_at)
    gaps = [b - a for a, b in zip([killed_at, *after_kill], after_kill, strict=False)]
    figures = {
        "commands": COMMANDS, "killed_node": victim, "new_leader": successor,
        "killed_after_answers": answered_before_kill,
        "leader_elected_s": round(leader_elected_s, 3),
        "longest_answer_pause_s": round(max(gaps, default=0.0), 3),
        "resent_commands": sum(1 for o in outcomes if o.resent),
        "all_answered_after_kill_s": round(all_answered_s, 3),
        "events_on_topic": len(published),
        "republished_duplicates": len(published) - len(first_seen),
    }  # fmt: skip
    ARTIFACT.parent.mkdir(exist_ok=True)
    ARTIFACT.write_text(json.dumps(figures, indent=2) + "\n")
    print("broker failover:", json.dumps(figures))
