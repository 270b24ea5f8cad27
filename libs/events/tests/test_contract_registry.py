"""The wire-name registry lists every contract once, under its explicit wire name."""

import re

import pytest
from pydantic import ValidationError

from llmops_events import registry
from llmops_events.base import CommandContract, EventContract

WIRE_NAME = re.compile(r"^[a-z]+(\.[a-z_]+)+$")


class TestRegistry:
    def test_every_contract_has_a_well_formed_wire_name(self):
        for contract in registry.all_contracts():
            assert WIRE_NAME.match(contract.WIRE_NAME), contract

    def test_event_wire_names_have_three_parts_and_command_names_two(self):
        assert all(name.count(".") == 2 for name in registry.EVENTS)
        assert all(name.count(".") == 1 for name in registry.COMMANDS)

    def test_a_wire_name_resolves_to_its_contract(self):
        contract = registry.event_contract("catalog.model_version.approved")
        assert contract.__name__ == "ModelVersionApproved"
        assert registry.command_contract("prompt.start_experiment").__name__ == (
            "StartPromptExperiment"
        )

    def test_an_unknown_wire_name_is_a_key_error(self):
        with pytest.raises(KeyError):
            registry.event_contract("catalog.model_version.exploded")

    def test_events_ignore_unknown_fields(self):
        contract = registry.event_contract("governance.prohibited_tokens.published")
        parsed = contract.model_validate(
            {
                "policy_id": "2f1b2a8e-9c3e-4f8e-8a4b-1f2e3d4c5b6a",
                "policy_name": "p",
                "tokens": ["x"],
                "published_by": "u",
                "added_later": True,
            }
        )
        assert not hasattr(parsed, "added_later")

    def test_commands_refuse_unknown_fields(self):
        contract = registry.command_contract("prompt.conclude_experiment")
        with pytest.raises(ValidationError):
            contract.model_validate(
                {"prompt_experiment_id": "2f1b2a8e-9c3e-4f8e-8a4b-1f2e3d4c5b6a", "typo": 1}
            )

    def test_every_contract_derives_from_an_event_or_command_base(self):
        assert all(issubclass(c, EventContract) for c in registry.EVENTS.values())
        assert all(issubclass(c, CommandContract) for c in registry.COMMANDS.values())


def test_every_contracts_module_is_discovered_without_a_registry_edit() -> None:
    import importlib
    import pkgutil

    import llmops_events
    from llmops_events import registry

    declared: set[str] = set()
    for info in pkgutil.iter_modules(llmops_events.__path__):
        module = importlib.import_module(f"llmops_events.{info.name}")
        for attribute in ("EVENTS", "COMMANDS"):
            value = getattr(module, attribute, ())
            if isinstance(value, tuple):
                declared |= {c.WIRE_NAME for c in value}
    assert declared == set(registry.EVENTS) | set(registry.COMMANDS)
