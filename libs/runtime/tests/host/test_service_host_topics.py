"""A hosted service and its events topic: finite retention, a missing topic, a refused record."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest

from llmops_runtime.client import CommandClient
from llmops_runtime.events_topics import FiniteRetention, set_topic_configs
from llmops_runtime.service import ServiceHost
from llmops_runtime.topics import delete_topics, ensure_topics

from .memo_service import WriteMemo, memo_token, migrated_memo_host, use_memo_tokens

pytestmark = pytest.mark.stack


@pytest.fixture
def auth(monkeypatch: pytest.MonkeyPatch) -> None:
    use_memo_tokens(monkeypatch)


@pytest.fixture
async def host(
    auth: None, kafka_bootstrap: str, database_url: str, unique_name: str
) -> AsyncIterator[ServiceHost]:
    service = await migrated_memo_host(unique_name, database_url, kafka_bootstrap)
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
    service = await migrated_memo_host(unique_name, database_url, kafka_bootstrap)
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
    async with CommandClient(kafka_bootstrap, actor_token=memo_token()) as client:
        result = await client.send(
            host.definition.name, WriteMemo.WIRE_NAME, {"text": "z" * 5000}, timeout=30
        )
    assert result.accepted, result
    checks = await _until_not_ready(host, within_s=20)
    assert checks["relay"] is False
    assert checks["relay_refused_event_at_position_1"] is False
