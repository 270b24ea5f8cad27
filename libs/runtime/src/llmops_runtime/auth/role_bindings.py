"""Each service's own projection of governance role bindings, and the question it answers.

Governance publishes `governance.role_binding.granted` (with the actions the role grants)
and `...revoked`; every enforcing service keeps them in `access_role_bindings` of its own
schema, so an authorization never calls another service. A revoke takes effect once this
projection has read it (the projection lag; see docs/governance.md).
"""

from __future__ import annotations

import asyncpg

from llmops_events.governance import RoleBindingGranted, RoleBindingRevoked
from llmops_runtime.eventstore.sqlnames import checked_identifier
from llmops_runtime.projections.declaration import Projection
from llmops_runtime.projections.projector import Projector
from llmops_runtime.projections.rows import Rows
from llmops_runtime.read_model_tables import ReadModelTables
from llmops_runtime.relay.envelope import EventEnvelope

GOVERNANCE_EVENTS_TOPIC = "llmops.governance.events"
TABLE = "access_role_bindings"
ROLE_BINDING_EVENTS = (RoleBindingGranted, RoleBindingRevoked)

TABLES = ReadModelTables(
    {
        TABLE: """
CREATE TABLE IF NOT EXISTS {s}.access_role_bindings (
    role_binding_id uuid        PRIMARY KEY,
    subject_kind    text        NOT NULL,
    subject         text        NOT NULL,
    role            text        NOT NULL,
    actions         text[]      NOT NULL,
    resource_type   text,
    owner_team      text,
    active          boolean     NOT NULL,
    changed_at      timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS access_role_bindings_subject
    ON {s}.access_role_bindings (subject, subject_kind) WHERE active;
""",
    }
)

projector = Projector()


@projector.on(RoleBindingGranted)
async def granted(rows: Rows, e: RoleBindingGranted, env: EventEnvelope) -> None:
    """A binding (or a re-grant of a revoked one) is in force."""
    row = {
        "role_binding_id": e.role_binding_id, "subject_kind": e.subject_kind,
        "subject": e.subject, "role": e.role, "actions": list(e.actions),
        "resource_type": e.resource_type, "owner_team": e.owner_team, "active": True,
        "changed_at": env.committed_at,
    }  # fmt: skip
    await rows.upsert(TABLE, row, key=("role_binding_id",))


@projector.on(RoleBindingRevoked)
async def revoked(rows: Rows, e: RoleBindingRevoked, env: EventEnvelope) -> None:
    """A binding no longer grants anything."""
    where = {"role_binding_id": e.role_binding_id}
    await rows.update(TABLE, where, {"active": False, "changed_at": env.committed_at})


def role_bindings_projection() -> Projection:
    """The projection every enforcing service adds to its own."""
    return TABLES.projection(
        "access_role_bindings", topic=GOVERNANCE_EVENTS_TOPIC, projector=projector, tables=(TABLE,)
    )


# Active bindings of the actor (or one of its teams) granting the action ($3)...
_GRANTING = """
SELECT EXISTS (
    SELECT 1 FROM {s}.access_role_bindings
    WHERE active
      AND ((subject_kind = 'actor' AND subject = $1)
           OR (subject_kind = 'team' AND subject = ANY($2::text[])))
      AND ($3 = ANY(actions) OR '*' = ANY(actions))
"""
# ... for this resource type ($4) and owner team ($5), unless the binding is unscoped;
_ALLOWS = (
    _GRANTING
    + """
      AND (resource_type IS NULL OR resource_type = $4)
      AND (owner_team IS NULL OR owner_team = $5)
)
"""
)
# ... or in any scope.
_GRANTS_ANYWHERE = _GRANTING + ")\n"


class RoleBindings:
    """Reads the service's projection of role bindings."""

    def __init__(self, pool: asyncpg.Pool, schema: str) -> None:
        self._pool = pool
        self._sql = _ALLOWS.format(s=checked_identifier(schema))
        self._anywhere_sql = _GRANTS_ANYWHERE.format(s=checked_identifier(schema))

    async def allows(
        self,
        actor: str,
        teams: tuple[str, ...],
        action: str,
        resource_type: str | None,
        owner_team: str | None,
    ) -> bool:
        """True when an active binding of the actor or one of its teams grants the action here."""
        found = await self._pool.fetchval(
            self._sql, actor, list(teams), action, resource_type, owner_team
        )
        return bool(found)

    async def grants_anywhere(self, actor: str, teams: tuple[str, ...], action: str) -> bool:
        """True when an active binding of the actor or a team grants the action in any scope."""
        return bool(await self._pool.fetchval(self._anywhere_sql, actor, list(teams), action))
