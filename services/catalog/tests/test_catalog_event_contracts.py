"""Every domain event carries a registered wire name and matches its wire contract."""

import json

import pytest
from eventsourcing.domain import Aggregate

from catalog_service.domain import AGGREGATES, EVENT_CLASSES, AliasTarget, ModelAlias
from llmops_events.registry import EVENTS

# Attributes the eventsourcing library adds to every event; the envelope carries them.
LIBRARY_FIELDS = {"originator_id", "originator_version", "timestamp", "originator_topic"}
ABSTRACT_EVENTS = {"Event", "Created", "Transitioned"}


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
def every_event(approved, evaluation) -> list[object]:
    """One scenario that emits every kind of catalog event."""
    approved.record_evaluation(
        evaluation(approved, "automated", run_id="6f1c0a52-4a70-4f3e-9d43-1b2a3c4d5e6f")
    )
    approved.deprecate(actor="carol", reason="superseded")
    events = list(approved.collect_events())
    other = type(approved).register(
        name="support-bot",
        version="2.0.0",
        type="base",
        owner_team="ml",
        metadata=approved.metadata,
        storage_uri=None,
        lineage_dataset_ids=[],
        known_dataset_ids=[],
        actor="alice",
    )
    other.submit(actor="alice", reason="review")
    other.reject(reviewer="bob", reason="no")
    events += other.collect_events()
    target = AliasTarget(str(approved.id), "support-bot", "approved")
    alias = ModelAlias.assign(name="support-bot", alias="champion", target=target, actor="bob")
    alias.remove(actor="bob")
    alias.move_to(target=target, actor="bob")
    events += alias.collect_events()
    return events


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
            EVENTS[event.wire_name].model_validate(_payload(event), strict=False)

    def test_every_event_payload_is_json_native(self, every_event):
        for event in every_event:
            payload = _payload(event)
            assert json.loads(json.dumps(payload)) == payload

    def test_the_payload_names_its_aggregate_id(self, every_event):
        for event in every_event:
            ids = [v for k, v in _payload(event).items() if k.endswith("_id")]
            assert str(event.originator_id) == ids[0]


class TestReplay:
    def test_a_version_rebuilt_from_its_events_equals_the_original(self, approved, evaluation):
        approved.record_evaluation(evaluation(approved, "llm_judge"))
        events = approved.collect_events()
        rebuilt = None
        for event in events:
            rebuilt = event.mutate(rebuilt)
        assert rebuilt == approved
