"""The command bus envelope and result: parsing rules and committed JSON Schema snapshots."""

import json
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from llmops_events.compatibility import breaking_changes
from llmops_events.envelope import ENVELOPES, CommandEnvelope, CommandResult, FieldError
from llmops_events.snapshot import SCHEMAS_DIR, current_schema, render, snapshot_path


def _envelope(**overrides: object) -> dict[str, object]:
    base: dict[str, object] = {
        "command_id": "c1",
        "type": "svc.do_thing",
        "issued_at": datetime.now(UTC).isoformat(),
        "correlation_id": "k1",
        "payload": {"x": 1},
    }
    base.update(overrides)
    return base


class TestEnvelope:
    def test_a_minimal_envelope_parses_with_defaults(self) -> None:
        env = CommandEnvelope.model_validate(_envelope())
        assert env.schema_version == 1
        assert env.reply_topic is None and env.actor_token is None

    def test_unknown_envelope_fields_are_ignored_so_the_envelope_can_grow(self) -> None:
        env = CommandEnvelope.model_validate(_envelope(added_later=True))
        assert not hasattr(env, "added_later")

    def test_a_naive_issue_time_is_refused(self) -> None:
        with pytest.raises(ValidationError):
            CommandEnvelope.model_validate(_envelope(issued_at="2026-01-01T00:00:00"))

    def test_an_empty_command_id_is_refused(self) -> None:
        with pytest.raises(ValidationError):
            CommandEnvelope.model_validate(_envelope(command_id=""))


class TestResult:
    def test_a_rejection_round_trips_through_json(self) -> None:
        result = CommandResult(
            command_id="c1",
            status="rejected",
            code="invalid_payload",
            message="bad",
            field_errors=[FieldError(loc="payload.name", message="required")],
        )
        again = CommandResult.model_validate_json(result.model_dump_json())
        assert again == result and not again.accepted


class TestSnapshots:
    @pytest.mark.parametrize("contract", ENVELOPES, ids=lambda c: c.WIRE_NAME)
    def test_snapshot_is_committed_and_up_to_date(self, contract: type) -> None:
        path = snapshot_path(contract, SCHEMAS_DIR)
        assert path.read_text() == render(current_schema(contract))

    @pytest.mark.parametrize("contract", ENVELOPES, ids=lambda c: c.WIRE_NAME)
    def test_no_breaking_change_against_the_snapshot(self, contract: type) -> None:
        committed = json.loads(snapshot_path(contract, SCHEMAS_DIR).read_text())
        assert breaking_changes(committed, current_schema(contract)) == []
