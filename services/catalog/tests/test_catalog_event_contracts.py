"""Every domain event carries a registered wire name and matches its wire contract."""

import pytest

from catalog_service.domain import AGGREGATES, EVENT_CLASSES, AliasTarget, ModelAlias
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

ABSTRACT_EVENTS = {"Event", "Created", "Transitioned"}


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
        check_event_classes_listed(AGGREGATES, EVENT_CLASSES, abstract_events=ABSTRACT_EVENTS)

    @pytest.mark.parametrize("event_class", EVENT_CLASSES, ids=lambda c: c.__qualname__)
    def test_every_event_class_has_a_registered_wire_name(self, event_class):
        check_registered_wire_name(event_class)

    @pytest.mark.parametrize("event_class", EVENT_CLASSES, ids=lambda c: c.__qualname__)
    def test_class_version_equals_the_contract_schema_version(self, event_class):
        check_class_version_matches_contract(event_class)

    def test_the_scenario_emits_every_event_class(self, every_event):
        check_every_event_class_emitted(every_event, EVENT_CLASSES)

    def test_every_event_validates_against_its_contract(self, every_event):
        check_events_validate_against_their_contracts(every_event, strict=False)

    def test_every_event_payload_is_json_native(self, every_event):
        check_payloads_json_native(every_event)

    def test_the_payload_names_its_aggregate_id(self, every_event):
        for event in every_event:
            ids = [v for k, v in event_payload(event).items() if k.endswith("_id")]
            assert str(event.originator_id) == ids[0]


class TestReplay:
    def test_a_version_rebuilt_from_its_events_equals_the_original(self, approved, evaluation):
        approved.record_evaluation(evaluation(approved, "llm_judge"))
        events = approved.collect_events()
        check_rebuilds_to(events, approved)


def test_evaluation_recorded_is_internal() -> None:
    from catalog_service.definition import SERVICE

    publication = SERVICE.publication()
    assert publication is not None
    assert "catalog.model_version.evaluation_recorded" not in publication.wire_types()
    assert "catalog.model_version.approved" in publication.wire_types()
