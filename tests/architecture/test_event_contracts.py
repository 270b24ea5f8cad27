"""Every installed service's domain events match the wire contracts its definition declares."""

from __future__ import annotations

import pytest

from llmops_cli.services import installed_definitions
from llmops_runtime.service import ServiceDefinition
from llmops_testing import (
    check_class_version_matches_contract,
    check_registered_wire_name,
    concrete_event_classes,
)

DEFINITIONS = installed_definitions()
SERVICES = sorted(DEFINITIONS)


def emitted(definition: ServiceDefinition) -> set[type]:
    return concrete_event_classes(definition.event_classes)


@pytest.mark.parametrize("service", SERVICES)
def test_every_event_class_has_a_contract_of_its_schema_version(service: str) -> None:
    classes = emitted(DEFINITIONS[service])
    assert classes, f"{service} declares no event class"
    for event_class in classes:
        check_registered_wire_name(event_class)
        check_class_version_matches_contract(event_class)


@pytest.mark.parametrize("service", SERVICES)
def test_the_event_contracts_are_exactly_the_events_emitted(service: str) -> None:
    definition = DEFINITIONS[service]
    wire_names = {getattr(c, "wire_name", None) for c in emitted(definition)}
    assert wire_names == {getattr(c, "WIRE_NAME", None) for c in definition.event_contracts}


@pytest.mark.parametrize("service", SERVICES)
def test_published_events_are_among_the_service_s_contracts(service: str) -> None:
    definition = DEFINITIONS[service]
    from llmops_events.audit import CommandsAudited

    # Every service also publishes the command audit the runtime records in its store.
    published = set(definition.public_event_contracts())
    assert published <= {*definition.event_contracts, CommandsAudited}


@pytest.mark.parametrize("service", SERVICES)
def test_every_command_contract_is_registered(service: str) -> None:
    from llmops_events.registry import COMMANDS

    for contract in DEFINITIONS[service].command_contracts:
        assert COMMANDS[getattr(contract, "WIRE_NAME", "")] is contract


def test_the_check_catches_an_event_without_a_contract() -> None:
    from eventsourcing.domain import Aggregate

    class Orphan(Aggregate):
        class Happened(Aggregate.Event):
            wire_name = "nobody.happened"

    [orphan] = concrete_event_classes([Orphan])
    with pytest.raises(AssertionError, match=r"no contract for 'nobody\.happened'"):
        check_registered_wire_name(orphan)
