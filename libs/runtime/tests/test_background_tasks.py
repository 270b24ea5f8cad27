"""A service's bootstrap may return background tasks; the host runs them as components."""

from __future__ import annotations

import asyncio
import types
from typing import Any

import pytest

from llmops_runtime.commands import CommandRegistry
from llmops_runtime.service import (
    BackgroundTask,
    Built,
    ServiceDefinition,
    ServiceHost,
    ServiceResources,
    ServiceSettings,
    Wiring,
)
from llmops_runtime.service import host as host_module


def test_a_definition_without_tasks_builds_none() -> None:
    definition = ServiceDefinition(
        name="plain", version="1", event_classes=[],
        build_commands=lambda r: CommandRegistry(), build_routers=lambda r: [],
    )  # fmt: skip
    assert definition.build_tasks(None) == ()  # type: ignore[arg-type]


def test_the_wiring_hands_the_bootstrap_s_tasks_to_the_definition() -> None:
    async def tick() -> None:
        await asyncio.sleep(0)

    task = BackgroundTask("tick", tick)

    def bootstrap(resources: ServiceResources) -> Built[None]:
        return Built(None, CommandRegistry(), [], [task])

    definition = Wiring(bootstrap).definition(
        "ticking", http_port=0, contracts=types.ModuleType("none"), event_classes=[]
    )
    resources: Any = object()
    assert list(definition.build_tasks(resources)) == [task]


async def test_a_crashed_task_is_restarted_by_the_host(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(host_module, "RESTART_MIN_S", 0.05)
    runs = 0
    running = asyncio.Event()

    async def flaky() -> None:
        nonlocal runs
        runs += 1
        if runs == 1:
            raise RuntimeError("first run fails")
        running.set()
        await asyncio.Event().wait()

    definition = ServiceDefinition(
        name="idle", version="1", event_classes=[],
        build_commands=lambda r: CommandRegistry(), build_routers=lambda r: [],
        build_tasks=lambda r: [BackgroundTask("flaky", flaky)],
    )  # fmt: skip
    settings = ServiceSettings(database_url="postgresql://unused", kafka_bootstrap_servers="x:1")
    host = ServiceHost(definition, settings)
    for task in definition.build_tasks(None):  # type: ignore[arg-type]
        host._spawn(f"task:{task.name}", task.run)
    await asyncio.wait_for(running.wait(), 5)
    assert runs == 2
    assert (await host.readiness())["task:flaky"] is True
    for spawned in host._tasks:
        spawned.cancel()
