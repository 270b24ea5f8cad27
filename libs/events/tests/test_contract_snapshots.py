"""The committed snapshots guard every consumer against breaking contract changes."""

import json

import pytest

from llmops_events.base import CommandContract, EventContract
from llmops_events.compatibility import breaking_changes
from llmops_events.registry import all_contracts
from llmops_events.snapshot import SCHEMAS_DIR, current_schema, render, snapshot_path

CONTRACTS = all_contracts()


def _id(contract: type[EventContract | CommandContract]) -> str:
    return contract.WIRE_NAME


class TestSnapshots:
    @pytest.mark.parametrize("contract", CONTRACTS, ids=_id)
    def test_every_registered_contract_has_a_committed_snapshot(self, contract):
        assert snapshot_path(contract, SCHEMAS_DIR).is_file(), (
            "run `python -m llmops_events.snapshot` and commit libs/events/schemas"
        )

    @pytest.mark.parametrize("contract", CONTRACTS, ids=_id)
    def test_no_contract_breaks_a_consumer_of_its_snapshot(self, contract):
        committed = json.loads(snapshot_path(contract, SCHEMAS_DIR).read_text())
        problems = breaking_changes(committed, current_schema(contract))
        assert problems == [], "breaking change: publish a new SCHEMA_VERSION beside the old"

    @pytest.mark.parametrize("contract", CONTRACTS, ids=_id)
    def test_snapshot_is_up_to_date(self, contract):
        committed = snapshot_path(contract, SCHEMAS_DIR).read_text()
        assert committed == render(current_schema(contract)), (
            "compatible change not snapshotted: run `python -m llmops_events.snapshot`"
        )
