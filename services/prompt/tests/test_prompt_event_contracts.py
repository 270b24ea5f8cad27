"""A scenario emitting every domain event matches the wire contracts; events rebuild state."""

from datetime import UTC, datetime

import pytest

from llmops_testing import check_rebuilds_to, check_scenario
from prompt_service.domain import AGGREGATES, LabelTarget, PromptLabel

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


def test_the_scenario_emits_every_event_each_matching_its_contract(every_event):
    # The static checks (wire names, schema versions, contract lists) run for every service
    # in tests/architecture/test_event_contracts.py; this one needs the service's scenario.
    check_scenario(every_event, AGGREGATES)


class TestReplay:
    def test_an_experiment_rebuilt_from_its_events_equals_the_original(self, make_experiment):
        experiment = make_experiment()
        experiment.record_observations(variant="a", values=[1.0, 2.0, 4.0])
        check_rebuilds_to(experiment.collect_events(), experiment)
