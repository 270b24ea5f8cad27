"""A scenario emitting every domain event matches the wire contracts; events rebuild state."""

import pytest

from catalog_service.domain import AGGREGATES, AliasTarget, ModelAlias
from llmops_testing import check_rebuilds_to, check_scenario


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


def test_the_scenario_emits_every_event_each_matching_its_contract(every_event):
    # The static checks (wire names, schema versions, contract lists) run for every service
    # in tests/architecture/test_event_contracts.py; this one needs the service's scenario.
    check_scenario(every_event, AGGREGATES, strict=False)


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
