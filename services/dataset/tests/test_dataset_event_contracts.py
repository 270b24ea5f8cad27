"""Every domain event carries a registered wire name and matches its wire contract."""

import json

import pytest
from eventsourcing.domain import Aggregate

from dataset_service.domain import AGGREGATES, EVENT_CLASSES
from llmops_events.registry import EVENTS

# Attributes the eventsourcing library adds to every event; the envelope carries them.
LIBRARY_FIELDS = {"originator_id", "originator_version", "timestamp", "originator_topic"}
ABSTRACT_EVENTS = {"Event", "Created"}


def _declared_event_classes() -> set[type]:
    return {
        value
        for aggregate in AGGREGATES
        for name, value in vars(aggregate).items()
        if isinstance(value, type)
        and issubclass(value, Aggregate.Event)
        and name not in ABSTRACT_EVENTS
    }


def _payload(event: object) -> dict[str, object]:
    return {k: v for k, v in vars(event).items() if k not in LIBRARY_FIELDS}


@pytest.fixture
def every_event(make_version) -> list[object]:
    """One scenario that emits every kind of dataset event."""
    first = make_version()
    first.record_pii_scan(status="clean", actor="scanner")
    first.record_quality_score(score=90, actor="dq-bot")
    first.amend_change_log(change_log="dedup", actor="dana")
    first.approve(actor="erin", reason="ready")
    second = make_version(
        version="2025.12.0",
        previous_version="2025.11.1",
        diff_summary="more rows",
        latest_known_version="2025.11.1",
    )
    return [*first.collect_events(), *second.collect_events()]


class TestEventContracts:
    def test_every_event_class_is_listed_for_the_event_store(self):
        assert _declared_event_classes() == set(EVENT_CLASSES)

    @pytest.mark.parametrize("event_class", EVENT_CLASSES, ids=lambda c: c.__qualname__)
    def test_every_event_class_has_a_registered_wire_name(self, event_class):
        assert event_class.wire_name in EVENTS

    @pytest.mark.parametrize("event_class", EVENT_CLASSES, ids=lambda c: c.__qualname__)
    def test_class_version_equals_the_contract_schema_version(self, event_class):
        contract = EVENTS[event_class.wire_name]
        assert getattr(event_class, "class_version", 1) == contract.SCHEMA_VERSION

    def test_the_scenario_emits_every_event_class(self, every_event):
        assert {type(e) for e in every_event} == set(EVENT_CLASSES)

    def test_every_event_validates_against_its_contract(self, every_event):
        for event in every_event:
            EVENTS[event.wire_name].model_validate(_payload(event))

    def test_every_event_payload_is_json_native(self, every_event):
        for event in every_event:
            payload = _payload(event)
            assert json.loads(json.dumps(payload)) == payload

    def test_the_payload_names_its_aggregate_id(self, every_event):
        for event in every_event:
            assert _payload(event)["dataset_version_id"] == str(event.originator_id)


class TestReplay:
    def test_a_version_rebuilt_from_its_events_equals_the_original(self, approved):
        rebuilt = None
        for event in approved.collect_events():
            rebuilt = event.mutate(rebuilt)
        assert rebuilt == approved
