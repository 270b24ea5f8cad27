"""Projection of policy events into policies, policy_reviews and policy_violations."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from llmops_events import governance as contracts
from llmops_runtime.projections.projector import Projector
from llmops_runtime.projections.rows import Rows
from llmops_runtime.relay.envelope import EventEnvelope

TABLE = "policies"


async def _set(rows: Rows, policy_id: UUID, env: EventEnvelope, **values: Any) -> None:
    await rows.update(TABLE, {"policy_id": policy_id}, values | {"updated_at": env.committed_at})


def policies_projector(review_period: Callable[[], timedelta]) -> Projector:
    """Policies with their review clock (`due_at` = last review, or going in force, + period).

    The period is asked for when an event needs it, so the definition reads no setting at import.
    """
    projector = Projector()

    @projector.on(contracts.PolicyDrafted)
    async def drafted(rows: Rows, e: contracts.PolicyDrafted, env: EventEnvelope) -> None:
        row = e.model_dump(include={"policy_id", "name", "scope", "drafted_by"}) | {
            "rules": json.dumps(e.rules), "status": "draft", "review_overdue": False,
            "created_at": env.committed_at, "updated_at": env.committed_at,
        }  # fmt: skip
        await rows.insert(TABLE, row, on_conflict=("policy_id",))

    @projector.on(contracts.PolicyRulesRevised)
    async def revised(rows: Rows, e: contracts.PolicyRulesRevised, env: EventEnvelope) -> None:
        await _set(rows, e.policy_id, env, rules=json.dumps(e.rules))

    @projector.on(contracts.PolicyActivated)
    async def activated(rows: Rows, e: contracts.PolicyActivated, env: EventEnvelope) -> None:
        where = {"policy_id": e.policy_id}
        since: datetime = await rows.value(TABLE, where, "in_force_since") or e.at
        reviewed: datetime | None = await rows.value(TABLE, where, "last_reviewed_at")
        due = (reviewed or since) + review_period()
        await _set(rows, e.policy_id, env, status="active", in_force_since=since, due_at=due)

    @projector.on(contracts.PolicySuspended)
    async def suspended(rows: Rows, e: contracts.PolicySuspended, env: EventEnvelope) -> None:
        await _set(rows, e.policy_id, env, status="suspended")

    @projector.on(contracts.PolicyRetired)
    async def retired(rows: Rows, e: contracts.PolicyRetired, env: EventEnvelope) -> None:
        await _set(rows, e.policy_id, env, status="retired")

    @projector.on(contracts.PolicyReviewed)
    async def reviewed(rows: Rows, e: contracts.PolicyReviewed, env: EventEnvelope) -> None:
        await rows.insert(
            "policy_reviews",
            e.model_dump(include={"policy_id", "reviewer", "decision", "notes"})
            | {"position": env.position, "reviewed_at": e.at},
            on_conflict=("position",),
        )
        # A draft has no clock yet: its clock starts when it goes in force.
        since = await rows.value(TABLE, {"policy_id": e.policy_id}, "in_force_since")
        due = e.at + review_period() if since is not None else None
        await _set(rows, e.policy_id, env, last_reviewed_at=e.at, review_overdue=False, due_at=due)

    @projector.on(contracts.PolicyReviewOverdue)
    async def overdue(rows: Rows, e: contracts.PolicyReviewOverdue, env: EventEnvelope) -> None:
        await _set(rows, e.policy_id, env, review_overdue=True, due_at=e.due_at)

    @projector.on(contracts.PolicyViolationRecorded)
    async def violation(
        rows: Rows, e: contracts.PolicyViolationRecorded, env: EventEnvelope
    ) -> None:
        row = e.model_dump() | {
            "recorded_at": env.committed_at, "position": env.position,
        }  # fmt: skip
        await rows.insert("policy_violations", row, on_conflict=("violation_id",))

    return projector
