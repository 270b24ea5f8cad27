"""Projection of approved retry overrides into retry_overrides (one row a training job)."""

from __future__ import annotations

from llmops_events import governance as contracts
from llmops_runtime.projections.projector import Projector
from llmops_runtime.projections.rows import Rows
from llmops_runtime.relay.envelope import EventEnvelope


def retry_overrides_projector() -> Projector:
    """Approved overrides."""
    projector = Projector()

    @projector.on(contracts.RetryOverrideApproved)
    async def approved(rows: Rows, e: contracts.RetryOverrideApproved, env: EventEnvelope) -> None:
        row = e.model_dump() | {"approved_at": env.committed_at}
        await rows.insert("retry_overrides", row, on_conflict=("override_id",))

    return projector
