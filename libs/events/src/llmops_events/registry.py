"""The wire-name registry: every contract of the platform, by its wire name."""

from collections.abc import Mapping
from types import MappingProxyType
from typing import TypeVar

from llmops_events import catalog, dataset, evaluation, governance, prompt, prompt_commands
from llmops_events.base import CommandContract, EventContract

C = TypeVar("C", EventContract, CommandContract)

ALL_EVENTS: tuple[type[EventContract], ...] = (
    *catalog.EVENTS,
    *dataset.EVENTS,
    *prompt.EVENTS,
    *evaluation.EVENTS,
    *governance.EVENTS,
)
ALL_COMMANDS: tuple[type[CommandContract], ...] = (
    *catalog.COMMANDS,
    *dataset.COMMANDS,
    *prompt_commands.COMMANDS,
)


def _by_wire_name(contracts: tuple[type[C], ...]) -> Mapping[str, type[C]]:
    registry: dict[str, type[C]] = {}
    for contract in contracts:
        if contract.WIRE_NAME in registry:
            raise ValueError(f"wire name {contract.WIRE_NAME!r} registered twice")
        registry[contract.WIRE_NAME] = contract
    return MappingProxyType(registry)


EVENTS: Mapping[str, type[EventContract]] = _by_wire_name(ALL_EVENTS)
COMMANDS: Mapping[str, type[CommandContract]] = _by_wire_name(ALL_COMMANDS)

if set(EVENTS) & set(COMMANDS):
    raise ValueError(
        f"wire names used by both an event and a command: {set(EVENTS) & set(COMMANDS)}"
    )


def event_contract(wire_name: str) -> type[EventContract]:
    """Return the event contract registered under `wire_name`; KeyError if none."""
    return EVENTS[wire_name]


def command_contract(wire_name: str) -> type[CommandContract]:
    """Return the command contract registered under `wire_name`; KeyError if none."""
    return COMMANDS[wire_name]


def all_contracts() -> tuple[type[EventContract | CommandContract], ...]:
    """Every registered contract, events first."""
    return (*ALL_EVENTS, *ALL_COMMANDS)
