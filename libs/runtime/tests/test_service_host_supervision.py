"""The host restarts a failed component and reports it not ready until it runs again."""

from __future__ import annotations

import asyncio

import pytest

from llmops_runtime.service import ServiceDefinition, ServiceHost, ServiceSettings
from llmops_runtime.service import host as host_module


def idle_host() -> ServiceHost:
    definition = ServiceDefinition(
        name="idle",
        version="1",
        http_port=0,
        event_classes=[],
        build_commands=lambda resources: None,  # type: ignore[arg-type,return-value]
        build_routers=lambda resources: [],
    )
    settings = ServiceSettings(database_url="postgresql://unused", kafka_bootstrap_servers="x:1")
    return ServiceHost(definition, settings)


async def test_a_failed_component_is_not_ready_then_restarted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(host_module, "RESTART_MIN_S", 0.3)
    host = idle_host()
    runs = 0
    running = asyncio.Event()

    async def flaky() -> None:
        nonlocal runs
        runs += 1
        if runs == 1:
            raise ConnectionError("the database went away")
        running.set()
        await asyncio.Event().wait()

    host._spawn("flaky", flaky)
    await asyncio.sleep(0.1)
    assert (await host.readiness())["flaky"] is False
    await asyncio.wait_for(running.wait(), 5)
    assert runs == 2
    assert (await host.readiness())["flaky"] is True
    for task in host._tasks:
        task.cancel()
