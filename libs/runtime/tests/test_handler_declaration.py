"""Handlers declared by contract, and `require` refusing unknown aggregates with not_found."""

from __future__ import annotations

from typing import ClassVar
from uuid import UUID, uuid4

import pytest
from eventsourcing.domain import Aggregate
from pydantic import BaseModel

from llmops_runtime.commands import CommandRegistry, CommandRejected, HandlerContext, handles
from llmops_testing import InMemoryHandlerContext


class ShoppingCart(Aggregate):
    def __init__(self) -> None:
        self.items = 0


class OpenCart(BaseModel):
    WIRE_NAME: ClassVar[str] = "shop.open_cart"


class CloseCart(BaseModel):
    WIRE_NAME: ClassVar[str] = "shop.close_cart"
    cart_id: UUID


@handles(OpenCart)
async def open_cart(p: OpenCart, ctx: HandlerContext) -> list[ShoppingCart]:
    return [ShoppingCart()]


@handles(CloseCart)
async def close_cart(p: CloseCart, ctx: HandlerContext) -> list[ShoppingCart]:
    return [await ctx.require(p.cart_id, ShoppingCart)]


def registry() -> CommandRegistry:
    reg = CommandRegistry()
    reg.include(open_cart, close_cart)
    return reg


def test_the_wire_type_comes_from_the_contract() -> None:
    assert registry().wire_types() == ["shop.close_cart", "shop.open_cart"]


def test_a_function_not_declared_with_handles_is_refused() -> None:
    async def stray(p: OpenCart, ctx: HandlerContext) -> list[ShoppingCart]:
        return []

    with pytest.raises(TypeError, match="stray"):
        CommandRegistry().include(stray)


def test_a_contract_without_a_wire_name_is_refused() -> None:
    class Nameless(BaseModel):
        pass

    with pytest.raises(TypeError, match="Nameless has no WIRE_NAME"):
        CommandRegistry().handles(Nameless)


async def test_require_refuses_an_unknown_aggregate_with_not_found() -> None:
    ctx = InMemoryHandlerContext(registry())
    missing = uuid4()
    with pytest.raises(CommandRejected) as refused:
        await ctx.run("shop.close_cart", {"cart_id": str(missing)})
    assert refused.value.code == "not_found"
    assert str(missing) in refused.value.message and "shopping cart" in refused.value.message


async def test_require_returns_a_known_aggregate() -> None:
    ctx = InMemoryHandlerContext(registry())
    [cart] = await ctx.run("shop.open_cart", {})
    [closed] = await ctx.run("shop.close_cart", {"cart_id": str(cart.id)})
    assert closed.id == cart.id
