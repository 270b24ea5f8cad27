"""The event-contract checks fail, naming the culprit, when an event breaks its contract."""

from __future__ import annotations

import pytest
from eventsourcing.domain import Aggregate, event

from llmops_testing import (
    check_event_classes_listed,
    check_every_event_class_emitted,
    check_payloads_json_native,
    check_rebuilds_to,
    check_registered_wire_name,
    declared_event_classes,
    event_payload,
)


class Thing(Aggregate):
    class Created(Aggregate.Created):
        wire_name = "test.thing.created"
        name: str

    class Tagged(Aggregate.Event):
        wire_name = "test.thing.tagged"
        tags: set[str]

    @event(Created)
    def __init__(self, name: str) -> None:
        self.name = name
        self.tags: set[str] = set()

    @event(Tagged)
    def tag(self, tags: set[str]) -> None:
        self.tags |= tags


def test_declared_classes_leave_out_the_abstract_ones() -> None:
    assert declared_event_classes([Thing], abstract_events={"Event"}) == {
        Thing.Created,
        Thing.Tagged,
    }


def test_an_unlisted_event_class_is_named() -> None:
    with pytest.raises(AssertionError, match=r"Thing\.Tagged"):
        check_event_classes_listed([Thing], [Thing.Created], abstract_events={"Event"})


def test_an_unregistered_wire_name_is_named() -> None:
    with pytest.raises(AssertionError, match=r"test\.thing\.tagged"):
        check_registered_wire_name(Thing.Tagged)


def test_a_missing_event_class_in_the_scenario_is_named() -> None:
    thing = Thing(name="a")
    with pytest.raises(AssertionError, match=r"Thing\.Tagged"):
        check_every_event_class_emitted(thing.collect_events(), [Thing.Created, Thing.Tagged])


def test_a_payload_that_is_not_plain_json_fails() -> None:
    thing = Thing(name="a")
    thing.tag({"x"})
    events = thing.collect_events()
    assert event_payload(events[0]) == {"name": "a"}
    check_payloads_json_native(events[:1])
    with pytest.raises(TypeError):
        check_payloads_json_native(events[1:])


def test_a_rebuild_equals_the_original() -> None:
    thing = Thing(name="a")
    thing.tag({"x"})
    check_rebuilds_to(thing.collect_events(), thing)
