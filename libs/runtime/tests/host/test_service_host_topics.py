"""A hosted service and its events topic: finite retention, a missing topic, a refused record."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Sequence
from typing import ClassVar

import httpx
import pytest
from eventsourcing.domain import Aggregate, event
from pydantic import BaseModel

from llmops_runtime.auth import issue_token
from llmops_runtime.client import CommandClient
from llmops_runtime.commands import CommandRegistry, HandlerContext
from llmops_runtime.events_topics import FiniteRetention, set_topic_configs
from llmops_runtime.service import (
    ServiceDefinition,
    ServiceHost,
    ServiceResources,
    migrate_services,
    settings_for,
)
from llmops_runtime.topics import delete_topics, ensure_topics

pytestmark = pytest.mark.stack

KEY = "topic-test-signing-key-long-enough-for-hs256"
ISSUER = "llmops-topic-tests"


class Memo(Aggregate):
    """A memo with a text."""

    class Written(Aggregate.Created):
        wire_name: ClassVar[str] = "topic_test.memo.written"
        text: str

    @event(Written)
    def __init__(self, text: str) -> None:
        self.text = text


class WriteMemo(BaseModel):
    """Write a memo."""

    WIRE_NAME: ClassVar[str] = "topic_test.write_memo"
    text: str


def build_commands(resources: ServiceResources) -> CommandRegistry:
    registry = CommandRegistry()

    @registry.command(WriteMemo.WIRE_NAME, WriteMemo)
    async def write(cmd: WriteMemo, ctx: HandlerContext) -> Sequence[Aggregate]:
        return [Memo(cmd.text)]

    return registry


async def _host(unique_name: str, database_url: str, kafka_bootstrap: str) -> ServiceHost:
    """A host of a migrated test service, running as the service's own role."""
    definition = ServiceDefinition(
        name=unique_name,
        version="1.0.0",
        event_classes=[Memo],
        build_commands=build_commands,
        build_routers=lambda _: [],
        command_contracts=[WriteMemo],
    )
    urls = await migrate_services(database_url, [definition])
    settings = settings_for(
        unique_name, database_url=urls[unique_name], kafka_bootstrap_servers=kafka_bootstrap
    )
    return ServiceHost(definition, settings)


@pytest.fixture
def auth(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LLMOPS_AUTH_HS256_KEYS", json.dumps([KEY]))
    monkeypatch.setenv("LLMOPS_AUTH_ISSUERS", json.dumps([ISSUER]))


@pytest.fixture
async def host(
    auth: None, kafka_bootstrap: str, database_url: str, unique_name: str
) -> AsyncIterator[ServiceHost]:
    service = await _host(unique_name, database_url, kafka_bootstrap)
    await service.start()
    try:
        yield service
    finally:
        await service.stop()


async def _readyz(host: ServiceHost) -> httpx.Response:
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{host.http_port}") as http:
        return await http.get("/readyz")


async def _until_not_ready(host: ServiceHost, within_s: float = 10) -> dict[str, bool]:
    async with asyncio.timeout(within_s):
        while True:
            response = await _readyz(host)
            if response.status_code == 503:
                checks: dict[str, bool] = response.json()["checks"]
                return checks
            await asyncio.sleep(0.2)


async def test_a_service_whose_events_topic_has_finite_retention_refuses_to_start(
    auth: None, kafka_bootstrap: str, database_url: str, unique_name: str
) -> None:
    topic = f"llmops.{unique_name}.events"
    await ensure_topics(kafka_bootstrap, [topic], configs={topic: {"retention.ms": "86400000"}})
    service = await _host(unique_name, database_url, kafka_bootstrap)
    try:
        with pytest.raises(FiniteRetention) as refused:
            await service.start()
    finally:
        await service.stop()
    assert f"events topic {topic} has finite retention (retention.ms=86400000)" in str(
        refused.value
    )


async def test_a_missing_events_topic_makes_the_service_not_ready(
    host: ServiceHost, kafka_bootstrap: str
) -> None:
    topic = f"llmops.{host.definition.name}.events"
    assert (await _readyz(host)).status_code == 200
    await delete_topics(kafka_bootstrap, [topic])
    checks = await _until_not_ready(host)
    assert checks[f"topic:{topic}"] is False


async def test_a_record_the_topic_refuses_makes_the_service_not_ready_naming_its_position(
    host: ServiceHost, kafka_bootstrap: str
) -> None:
    topic = f"llmops.{host.definition.name}.events"
    # The topic's limit shrinks after the service started (an operator's change): the event
    # passes the append check made with the old limit, and the broker refuses it.
    await set_topic_configs(
        kafka_bootstrap, topic, {"max.message.bytes": "2048", "retention.ms": "-1"}
    )
    async with CommandClient(
        kafka_bootstrap, actor_token=issue_token("ana", KEY, ISSUER)
    ) as client:
        result = await client.send(
            host.definition.name, WriteMemo.WIRE_NAME, {"text": "z" * 5000}, timeout=30
        )
    assert result.accepted, result
    checks = await _until_not_ready(host, within_s=20)
    assert checks["relay"] is False
    assert checks["relay_refused_event_at_position_1"] is False
