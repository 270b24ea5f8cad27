"""Every governance domain event matches its wire contract; published events leave clean."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import pytest

from governance_service.domain import AGGREGATES, GovernancePolicy, RoleBinding
from llmops_events import governance as contracts
from llmops_runtime.relay.envelope import EventEnvelope
from llmops_testing import check_rebuilds_to, check_scenario, event_payload

T0 = datetime(2026, 1, 1, tzinfo=UTC)
TOKENS: list[dict[str, Any]] = [{"kind": "prohibited_tokens", "tokens": ["password"]}]


@pytest.fixture
def every_event() -> list[Any]:
    """One scenario emitting every kind of governance event."""
    binding = RoleBinding.grant(
        subject_kind="actor", subject="ana", role="admin", actor="root", reason="first admin"
    )
    binding.revoke(actor="root", reason="left")
    binding.grant_again(actor="root", reason="back")
    policy = GovernancePolicy.draft(name="hygiene", scope="model", rules=TOKENS, actor="gina")
    policy.review(reviewer="rita", decision="approved", notes="ok", at=T0)
    policy.activate(actor="gina", reason="go", at=T0)
    policy.record_violation(
        resource_type="prompt_template", resource_id=uuid4(), details="leak", actor="bot",
        key="cmd-1",
    )  # fmt: skip
    policy.check_review_due(datetime(2026, 6, 1, tzinfo=UTC))
    policy.suspend(actor="gina", reason="pause", at=T0)
    policy.revise_rules(TOKENS, actor="gina", reason="same")
    policy.retire(actor="gina", reason="done", at=T0)
    return [*binding.collect_events(), *policy.collect_events()]


def test_the_scenario_emits_every_event_each_matching_its_contract(every_event: list[Any]) -> None:
    check_scenario(every_event, AGGREGATES)


def test_a_policy_rebuilt_from_its_events_equals_the_original() -> None:
    policy = GovernancePolicy.draft(name="hygiene", scope="model", rules=TOKENS, actor="gina")
    policy.activate(actor="gina", reason="go", at=T0)
    check_rebuilds_to(policy.collect_events(), policy)


def _stored(event: Any) -> EventEnvelope:
    payload = event_payload(event) | {"timestamp": T0.isoformat()}
    return EventEnvelope(uuid4(), uuid4(), 1, event.wire_name, 1, 1, T0, payload, {})


def test_every_contract_event_is_published_and_a_regrant_goes_out_as_a_grant(
    every_event: list[Any],
) -> None:
    from governance_service.definition import SERVICE

    publication = SERVICE.publication()
    assert publication is not None
    published = {c.WIRE_NAME for c in contracts.PUBLISHED}
    assert published <= set(publication.wire_types())
    regrant = next(e for e in every_event if isinstance(e, RoleBinding.Regranted))
    out = publication.envelope(_stored(regrant))
    assert out is not None and out.wire_type == "governance.role_binding.granted"
    assert out.payload["actions"] == ["*"] and out.payload["subject"] == "ana"
    wire_types = set()
    for event in every_event:
        env = publication.envelope(_stored(event))
        assert env is not None, event.wire_name
        assert "timestamp" not in env.payload and "originator_id" not in env.payload
        wire_types.add(env.wire_type)
    assert wire_types == published
