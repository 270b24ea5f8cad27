"""Every domain event carries a registered wire name and matches its wire contract."""

import json
from datetime import UTC, datetime

import pytest
from eventsourcing.domain import Aggregate

from llmops_events.registry import EVENTS
from prompt_service.domain import AGGREGATES, EVENT_CLASSES, LabelTarget, PromptLabel

# Attributes the eventsourcing library adds to every event; the envelope carries them.
LIBRARY_FIELDS = {"originator_id", "originator_version", "timestamp", "originator_topic"}
ABSTRACT_EVENTS = {"Event", "Created"}
START = datetime(2025, 11, 27, 9, 0, tzinfo=UTC)


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
def every_event(make_template, make_experiment) -> list[object]:
    """One scenario that emits every kind of prompt event."""
    template = make_template()
    template.revise(content="Hello {{name}}", context_tags=["greeting"], actor="paula")
    template.go_live(actor="paula", prohibited_tokens=["password"])
    template.retire(actor="paula", reason="replaced")
    target = LabelTarget(str(template.id), "support-reply", "live")
    label = PromptLabel.assign(name="support-reply", label="production", target=target, actor="p")
    label.remove(actor="p")
    label.move_to(target=target, actor="p")
    experiment = make_experiment(end_at=None, min_traffic_per_variant=2)
    experiment.record_observations(variant="a", values=[1.0, 2.0])
    experiment.record_observations(variant="b", values=[3.0, 4.5])
    experiment.conclude(now=START, actor="paula")
    return [*template.collect_events(), *label.collect_events(), *experiment.collect_events()]


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
            ids = [v for k, v in _payload(event).items() if k.endswith("_id")]
            assert ids[0] == str(event.originator_id)


class TestReplay:
    def test_an_experiment_rebuilt_from_its_events_equals_the_original(self, make_experiment):
        experiment = make_experiment()
        experiment.record_observations(variant="a", values=[1.0, 2.0, 4.0])
        rebuilt = None
        for event in experiment.collect_events():
            rebuilt = event.mutate(rebuilt)
        assert rebuilt == experiment
