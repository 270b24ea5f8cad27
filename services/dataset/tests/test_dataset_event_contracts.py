"""A scenario emitting every domain event matches the wire contracts; events rebuild state."""

import pytest

from dataset_service.domain import AGGREGATES, DatasetSeries
from llmops_testing import check_rebuilds_to, check_scenario


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


def test_the_scenario_emits_every_event_each_matching_its_contract(every_event):
    # The static checks (wire names, schema versions, contract lists) run for every service
    # in tests/architecture/test_event_contracts.py; this one needs the service's scenario.
    check_scenario(every_event, AGGREGATES)


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
            "audit.commands.recorded",  # the runtime's command audit, published by every service
        ]
    )  # fmt: skip
