"""Projection of role-binding events into role_bindings (current state, one row a binding)."""

from __future__ import annotations

import json

from llmops_events import governance as contracts
from llmops_runtime.projections.projector import Projector
from llmops_runtime.projections.rows import Rows
from llmops_runtime.relay.envelope import EventEnvelope

TABLE = "role_bindings"
_GRANT = {
    "role_binding_id", "subject_kind", "subject", "role", "resource_type", "owner_team",
    "granted_by", "reason",
}  # fmt: skip


def role_bindings_projector() -> Projector:
    """Grants (first or again) and revokes."""
    projector = Projector()

    async def _granted(rows: Rows, e: contracts.RoleBindingGranted, env: EventEnvelope) -> None:
        row = e.model_dump(include=_GRANT) | {"actions": json.dumps(e.actions), "active": True}
        row |= {"revoked_by": None, "granted_at": env.committed_at, "updated_at": env.committed_at}
        await rows.upsert(TABLE, row, key=("role_binding_id",))

    projector.on(contracts.RoleBindingGranted)(_granted)
    projector.on(contracts.RoleBindingRegranted)(_granted)

    @projector.on(contracts.RoleBindingRevoked)
    async def revoked(rows: Rows, e: contracts.RoleBindingRevoked, env: EventEnvelope) -> None:
        await rows.update(
            TABLE, {"role_binding_id": e.role_binding_id},
            {"active": False, "revoked_by": e.revoked_by, "updated_at": env.committed_at},
        )  # fmt: skip

    return projector
