"""The wire-name registry: every contract of the platform, by its wire name.

Contracts modules are discovered: each module of this package that declares `EVENTS` and/or
`COMMANDS` tuples contributes them, so a new service's contracts module needs no edit here.
"""

import importlib
import pkgutil
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, TypeVar

import llmops_events
from llmops_events.base import CommandContract, EventContract

C = TypeVar("C", EventContract, CommandContract)

# Modules of the package that hold no contracts tuples of their own.
_NOT_CONTRACTS = {"base", "compatibility", "envelope", "registry", "snapshot"}


def _contract_modules() -> list[Any]:
    names = sorted(m.name for m in pkgutil.iter_modules(llmops_events.__path__))
    return [
        importlib.import_module(f"llmops_events.{name}")
        for name in names
        if name not in _NOT_CONTRACTS
    ]


def _declared(attribute: str, kind: type[C]) -> tuple[type[C], ...]:
    found: list[type[C]] = []
    for module in _contract_modules():
        for contract in getattr(module, attribute, ()):
            if not (isinstance(contract, type) and issubclass(contract, kind)):
                raise TypeError(f"{module.__name__}.{attribute} holds {contract!r}")
            found.append(contract)
    return tuple(found)


ALL_EVENTS: tuple[type[EventContract], ...] = _declared("EVENTS", EventContract)
ALL_COMMANDS: tuple[type[CommandContract], ...] = _declared("COMMANDS", CommandContract)


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
