"""Every domain event carries a registered wire name and matches its wire contract."""

from datetime import UTC, datetime

import pytest

from llmops_testing import (
    check_class_version_matches_contract,
    check_event_classes_listed,
    check_events_validate_against_their_contracts,
    check_every_event_class_emitted,
    check_payloads_json_native,
    check_rebuilds_to,
    check_registered_wire_name,
    event_payload,
)
from prompt_service.domain import AGGREGATES, EVENT_CLASSES, LabelTarget, PromptLabel

START = datetime(2025, 11, 27, 9, 0, tzinfo=UTC)


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
        check_event_classes_listed(AGGREGATES, EVENT_CLASSES)

    @pytest.mark.parametrize("event_class", EVENT_CLASSES, ids=lambda c: c.__qualname__)
    def test_every_event_class_has_a_registered_wire_name(self, event_class):
        check_registered_wire_name(event_class)

    @pytest.mark.parametrize("event_class", EVENT_CLASSES, ids=lambda c: c.__qualname__)
    def test_class_version_equals_the_contract_schema_version(self, event_class):
        check_class_version_matches_contract(event_class)

    def test_the_scenario_emits_every_event_class(self, every_event):
        check_every_event_class_emitted(every_event, EVENT_CLASSES)

    def test_every_event_validates_against_its_contract(self, every_event):
        check_events_validate_against_their_contracts(every_event)

    def test_every_event_payload_is_json_native(self, every_event):
        check_payloads_json_native(every_event)

    def test_the_payload_names_its_aggregate_id(self, every_event):
        for event in every_event:
            ids = [v for k, v in event_payload(event).items() if k.endswith("_id")]
            assert ids[0] == str(event.originator_id)


class TestReplay:
    def test_an_experiment_rebuilt_from_its_events_equals_the_original(self, make_experiment):
        experiment = make_experiment()
        experiment.record_observations(variant="a", values=[1.0, 2.0, 4.0])
        check_rebuilds_to(experiment.collect_events(), experiment)
