"""The cost handlers, through the command registry, without Kafka or PostgreSQL."""

import pytest

from cost_service.application import register_item
from cost_service.domain import AGGREGATES, Item
from llmops_runtime.commands import CommandRejected
from llmops_runtime.service import registry_of
from llmops_testing import InMemoryHandlerContext, check_rebuilds_to, check_scenario

REGISTER = "cost.register_item"


async def test_an_item_is_registered_by_the_actor() -> None:
    [item] = await InMemoryHandlerContext(registry_of(register_item)).run(
        REGISTER, {"name": "first"}
    )
    assert isinstance(item, Item)
    assert (item.id, item.registered_by) == (Item.id_for("first"), "alice")


async def test_a_taken_name_is_refused_as_a_duplicate() -> None:
    ctx = InMemoryHandlerContext(registry_of(register_item))
    await ctx.run(REGISTER, {"name": "first"})
    with pytest.raises(CommandRejected) as refused:
        await ctx.run(REGISTER, {"name": "first"})
    assert refused.value.code == "duplicate_version"


async def test_a_blank_name_is_refused_with_the_field() -> None:
    with pytest.raises(CommandRejected) as refused:
        await InMemoryHandlerContext(registry_of(register_item)).run(REGISTER, {"name": " "})
    assert refused.value.code == "validation_failed"


def test_the_events_match_their_contracts_and_rebuild_the_item() -> None:
    item = Item.register(name="first", actor="alice")
    events = item.collect_events()
    check_scenario(events, AGGREGATES)
    check_rebuilds_to(events, item)
