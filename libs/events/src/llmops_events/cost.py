"""Contracts of the cost service (generated sample: replace the item with its own)."""

from uuid import UUID

from llmops_events.base import CommandContract, EventContract, Name


class CostItemRegistered(EventContract):
    """An item was registered under a name not taken before."""

    WIRE_NAME = "cost.item.registered"
    item_id: UUID
    name: Name
    registered_by: Name


class RegisterCostItem(CommandContract):
    """Register an item under a unique name."""

    WIRE_NAME = "cost.register_item"
    name: Name


EVENTS: tuple[type[EventContract], ...] = (CostItemRegistered,)
PUBLISHED: tuple[type[EventContract], ...] = EVENTS
COMMANDS: tuple[type[CommandContract], ...] = (RegisterCostItem,)
