"""The in-memory handler context: what unit tests of a service's handler wiring rely on."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar
from uuid import UUID

import pytest
from eventsourcing.domain import Aggregate, event
from pydantic import BaseModel

from llmops_runtime.commands import CommandRegistry, CommandRejected, HandlerContext
from llmops_testing import InMemoryHandlerContext


class Counter(Aggregate):
    def __init__(self, name: str) -> None:
        self.name = name
        self.count = 0

    @event("Incremented")
    def increment(self) -> None:
        self.count += 1


class Refused(Exception):
    code: ClassVar[str] = "too_many"

    def __init__(self) -> None:
        super().__init__("the counter is full")
        self.message = "the counter is full"
        self.field_errors = {"counter_id": "is full"}


class Create(BaseModel):
    name: str


class Increment(BaseModel):
    counter_id: UUID


def _registry() -> CommandRegistry:
    registry = CommandRegistry()

    @registry.command("test.create", Create)
    async def create(cmd: Create, ctx: HandlerContext) -> Sequence[Aggregate]:
        return [Counter(cmd.name)]

    @registry.command("test.increment", Increment)
    async def increment(cmd: Increment, ctx: HandlerContext) -> Sequence[Aggregate]:
        counter = await ctx.load(cmd.counter_id, Counter)
        assert counter is not None
        counter.increment()
        if counter.count > 1:
            raise Refused
        return [counter]

    return registry


async def test_saved_aggregates_load_as_private_copies() -> None:
    ctx = InMemoryHandlerContext(_registry())
    [counter] = await ctx.run("test.create", {"name": "a"})
    await ctx.run("test.increment", {"counter_id": str(counter.id)})
    loaded = await ctx.load(counter.id, Counter)
    assert loaded is not None
    assert loaded.count == 1
    assert loaded is not ctx.saved[counter.id]
    assert ctx.saved[counter.id].collect_events() == []


async def test_a_domain_error_is_raised_as_the_rejection_the_bus_would_send() -> None:
    ctx = InMemoryHandlerContext(_registry())
    [counter] = await ctx.run("test.create", {"name": "a"})
    await ctx.run("test.increment", {"counter_id": str(counter.id)})
    with pytest.raises(CommandRejected) as refused:
        await ctx.run("test.increment", {"counter_id": str(counter.id)})
    assert refused.value.code == "too_many"
    assert [e.loc for e in refused.value.field_errors] == ["payload.counter_id"]
    kept = await ctx.load(counter.id, Counter)
    assert kept is not None
    assert kept.count == 1


async def test_an_unknown_id_loads_as_none() -> None:
    ctx = InMemoryHandlerContext(_registry())
    assert await ctx.load(UUID(int=1), Counter) is None
