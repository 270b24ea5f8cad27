"""No dataset event is too big to publish: an oversized one is refused, the relay goes on."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest
from aiokafka import AIOKafkaConsumer

from dataset_service.definition import SERVICE as DATASET
from llmops_events.base import TEXT_MAX_CHARS
from llmops_events.envelope import CommandResult
from llmops_runtime.auth import issue_token
from llmops_runtime.client import CommandClient
from llmops_runtime.commands.audit_events import AUDIT_WIRE_TYPE
from llmops_runtime.events_topics import (
    EventsTopicSettings,
    events_topic_configs,
    set_topic_configs,
)
from llmops_runtime.service import ServiceHost, migrate_services, settings_for
from llmops_runtime.topics import ensure_topics

pytestmark = pytest.mark.stack

KEY = "size-test-signing-key-long-enough-for-hs256"
ISSUER = "llmops-size-tests"
# The contract maximum of characters, each written as a 6-byte JSON escape: ~600 KB of JSON
# per text. One such text fits a record; a change log and a reason together do not.
BIG = "\x01" * TEXT_MAX_CHARS


class Dataset:
    """The hosted dataset service and a command client."""

    def __init__(self, host: ServiceHost, client: CommandClient, database_url: str) -> None:
        self.host = host
        self.client = client
        self.database_url = database_url

    async def send(self, wire_type: str, actor: str = "dana", **payload: Any) -> CommandResult:
        """Send a dataset command as actor (dana by default) and await its result."""
        token = issue_token(actor, KEY, ISSUER)
        return await self.client.send("dataset", wire_type, payload, actor_token=token, timeout=60)


@pytest.fixture
async def dataset(
    kafka_bootstrap: str, database_url: str, unique_name: str, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Dataset]:
    monkeypatch.setenv("LLMOPS_AUTH_HS256_KEYS", json.dumps([KEY]))
    monkeypatch.setenv("LLMOPS_AUTH_ISSUERS", json.dumps([ISSUER]))
    monkeypatch.setenv("LLMOPS_GOVERNANCE_BOOTSTRAP_ADMINS", "dana,erin")
    conn = await asyncpg.connect(database_url)
    try:
        await conn.execute(f'CREATE DATABASE "{unique_name}"')
    finally:
        await conn.close()
    url = f"{database_url.rpartition('/')[0]}/{unique_name}"
    # The topic is shared with other tests and may predate unlimited retention (the service
    # would refuse to start): bring it to an events topic's configs, as an operator would.
    await ensure_topics(kafka_bootstrap, ["llmops.dataset.events"])
    configs = events_topic_configs(EventsTopicSettings())
    await set_topic_configs(kafka_bootstrap, "llmops.dataset.events", configs)
    urls = await migrate_services(url, [DATASET])
    settings = settings_for(
        "dataset", database_url=urls["dataset"], kafka_bootstrap_servers=kafka_bootstrap
    )
    host = ServiceHost(DATASET, settings)
    await host.start()
    client = CommandClient(kafka_bootstrap, actor_token=issue_token("dana", KEY, ISSUER))
    await client.start()
    try:
        yield Dataset(host, client, url)
    finally:
        await client.stop()
        await host.stop()


async def _published(bootstrap: str, stream_id: str, timeout_s: float = 30) -> dict[str, Any]:
    """The first envelope of stream_id on llmops.dataset.events (other tests share it)."""
    consumer = AIOKafkaConsumer(
        "llmops.dataset.events", bootstrap_servers=bootstrap, auto_offset_reset="earliest"
    )
    await consumer.start()
    try:
        async with asyncio.timeout(timeout_s):
            while True:
                for batch in (await consumer.getmany(timeout_ms=500)).values():
                    for record in batch:
                        if record.key == stream_id.encode():
                            found: dict[str, Any] = json.loads(record.value or b"{}")
                            return found
    finally:
        await consumer.stop()


async def test_an_approval_too_big_to_publish_is_refused_and_later_events_still_flow(
    dataset: Dataset, kafka_bootstrap: str
) -> None:
    registered = await dataset.send(
        "dataset.register_dataset_version",
        name="huge-texts", version="1", storage_uri="s3://datasets/huge/1/",
        owner_team="data-platform", change_log=BIG,
    )  # fmt: skip
    assert registered.accepted, registered
    version_id = registered.aggregate_id
    assert version_id is not None
    amended = await dataset.send(
        "dataset.amend_change_log", dataset_version_id=version_id, change_log=BIG[:-1] + "\x02"
    )
    assert amended.accepted, amended
    scanned = await dataset.send(
        "dataset.record_pii_scan", dataset_version_id=version_id, pii_scan_status="clean"
    )
    assert scanned.accepted, scanned
    conn = await asyncpg.connect(dataset.database_url)
    try:
        # The batch's command audit event is committed; no domain event is.
        domain = "SELECT count(*) FROM dataset.events WHERE wire_type <> $1"
        before = await conn.fetchval(domain, AUDIT_WIRE_TYPE)
        approved = await dataset.send(
            "dataset.approve_dataset_version", "erin", dataset_version_id=version_id, reason=BIG
        )
        after = await conn.fetchval(domain, AUDIT_WIRE_TYPE)
    finally:
        await conn.close()
    assert approved.status == "rejected"
    assert approved.code == "payload_too_large", approved
    assert "bytes" in (approved.message or "")
    assert after == before  # nothing committed

    fresh = await dataset.send(
        "dataset.register_dataset_version",
        name="after-the-huge-one", version="1", storage_uri="s3://datasets/after/1/",
        owner_team="data-platform", change_log="small",
    )  # fmt: skip
    assert fresh.accepted, fresh
    assert fresh.aggregate_id is not None
    envelope = await _published(kafka_bootstrap, fresh.aggregate_id)
    assert envelope["payload"]["name"] == "after-the-huge-one"
    ready = await dataset.host.readiness()
    assert all(ready.values()), ready


async def test_a_text_over_its_documented_maximum_is_an_invalid_payload(
    dataset: Dataset,
) -> None:
    refused = await dataset.send(
        "dataset.register_dataset_version",
        name="too-long", version="1", storage_uri="s3://datasets/long/1/",
        owner_team="data-platform", change_log="x" * (TEXT_MAX_CHARS + 1),
    )  # fmt: skip
    assert refused.status == "rejected"
    assert refused.code == "invalid_payload", refused
    assert any("change_log" in e.loc for e in refused.field_errors)
