"""A service's projection of governance policies, and the policies in force for a scope.

The runtime only keeps them: each service interprets the rules of the scopes it enforces
(the catalog the `model` scope, the dataset service `dataset`) in its own domain.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from llmops_events.governance import (
    PolicyActivated,
    PolicyDrafted,
    PolicyRetired,
    PolicyReviewed,
    PolicyReviewOverdue,
    PolicyRulesRevised,
    PolicySuspended,
)
from llmops_runtime.auth.role_bindings import GOVERNANCE_EVENTS_TOPIC
from llmops_runtime.eventstore.sqlnames import checked_identifier
from llmops_runtime.projections.declaration import Projection
from llmops_runtime.projections.projector import Projector
from llmops_runtime.projections.rows import Rows
from llmops_runtime.read_model_tables import ReadModelTables
from llmops_runtime.relay.envelope import EventEnvelope

TABLE = "governance_policies"
POLICY_EVENTS = (
    PolicyDrafted,
    PolicyRulesRevised,
    PolicyActivated,
    PolicySuspended,
    PolicyRetired,
    PolicyReviewed,
    PolicyReviewOverdue,
)

TABLES = ReadModelTables(
    {
        TABLE: """
CREATE TABLE IF NOT EXISTS {s}.governance_policies (
    policy_id      uuid        PRIMARY KEY,
    name           text        NOT NULL,
    scope          text        NOT NULL,
    rules          jsonb       NOT NULL,
    status         text        NOT NULL,
    review_overdue boolean     NOT NULL DEFAULT false,
    due_at         timestamptz,
    changed_at     timestamptz NOT NULL
);
""",
    }
)

projector = Projector()


@projector.on(PolicyDrafted)
async def drafted(rows: Rows, e: PolicyDrafted, env: EventEnvelope) -> None:
    """A draft: known, not in force."""
    row = {
        "policy_id": e.policy_id, "name": e.name, "scope": e.scope,
        "rules": json.dumps(e.model_dump(mode="json")["rules"]), "status": "draft",
        "changed_at": env.committed_at,
    }  # fmt: skip
    await rows.insert(TABLE, row, on_conflict=("policy_id",))


@projector.on(PolicyRulesRevised)
async def revised(rows: Rows, e: PolicyRulesRevised, env: EventEnvelope) -> None:
    """New rules."""
    rules = json.dumps(e.model_dump(mode="json")["rules"])
    await _change(rows, e.policy_id, env, rules=rules)


@projector.on(PolicyActivated)
async def activated(rows: Rows, e: PolicyActivated, env: EventEnvelope) -> None:
    """In force."""
    await _change(rows, e.policy_id, env, status="active")


@projector.on(PolicySuspended)
async def suspended(rows: Rows, e: PolicySuspended, env: EventEnvelope) -> None:
    """Out of force for now."""
    await _change(rows, e.policy_id, env, status="suspended")


@projector.on(PolicyRetired)
async def retired(rows: Rows, e: PolicyRetired, env: EventEnvelope) -> None:
    """Out of force for good."""
    await _change(rows, e.policy_id, env, status="retired")


@projector.on(PolicyReviewed)
async def reviewed(rows: Rows, e: PolicyReviewed, env: EventEnvelope) -> None:
    """A review lifts the overdue state."""
    await _change(rows, e.policy_id, env, review_overdue=False, due_at=None)


@projector.on(PolicyReviewOverdue)
async def overdue(rows: Rows, e: PolicyReviewOverdue, env: EventEnvelope) -> None:
    """Not reviewed in time: the actions it governs are refused until a review."""
    await _change(rows, e.policy_id, env, review_overdue=True, due_at=e.due_at)


async def _change(rows: Rows, policy_id: UUID, env: EventEnvelope, **values: Any) -> None:
    await rows.update(TABLE, {"policy_id": policy_id}, values | {"changed_at": env.committed_at})


def policies_projection() -> Projection:
    """The projection a service enforcing policies adds to its own."""
    return TABLES.projection(
        "governance_policies", topic=GOVERNANCE_EVENTS_TOPIC, projector=projector, tables=(TABLE,)
    )


@dataclass(frozen=True)
class PolicyInForce:
    """An active policy of a scope: its typed rules as JSON, and whether its review is overdue."""

    policy_id: str
    name: str
    rules: list[dict[str, Any]]
    review_overdue: bool
    due_at: datetime | None


class GovernancePolicies:
    """Reads the service's projection of governance policies."""

    def __init__(self, pool: asyncpg.Pool, schema: str) -> None:
        self._pool = pool
        self._sql = (
            "SELECT policy_id, name, rules::text AS rules, review_overdue, due_at"
            f" FROM {checked_identifier(schema)}.{TABLE}"
            " WHERE scope = $1 AND status = 'active' ORDER BY name"
        )

    async def in_force(self, scope: str) -> list[PolicyInForce]:
        """The active policies of a scope (model, dataset, user), by name."""
        rows = await self._pool.fetch(self._sql, scope)
        return [
            PolicyInForce(
                str(r["policy_id"]), r["name"], json.loads(r["rules"]), r["review_overdue"],
                r["due_at"],
            )
            for r in rows
        ]  # fmt: skip
