"""Every domain event carries a registered wire name and matches its wire contract."""

import pytest

from dataset_service.domain import AGGREGATES, EVENT_CLASSES, DatasetSeries
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
    series = DatasetSeries.start("tickets", "2025.11.1")
    series.add("2025.12.0")
    return [*first.collect_events(), *second.collect_events(), *series.collect_events()]


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
            key = "dataset_series_id" if "dataset_series_id" in event_payload(event) else None
            assert event_payload(event)[key or "dataset_version_id"] == str(event.originator_id)


class TestReplay:
    def test_a_version_rebuilt_from_its_events_equals_the_original(self, approved):
        check_rebuilds_to(approved.collect_events(), approved)


def test_series_events_are_internal_and_every_version_event_is_published() -> None:
    from dataset_service.definition import SERVICE

    publication = SERVICE.publication()
    assert publication is not None
    assert publication.wire_types() == sorted(
        [
            "dataset.version.registered", "dataset.version.pii_scan_recorded",
            "dataset.version.quality_scored", "dataset.version.change_log_amended",
            "dataset.version.approved",
        ]
    )  # fmt: skip
