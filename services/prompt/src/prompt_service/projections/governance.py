"""Projection of governance's prohibited-token lists (one row per policy, replaced whole)."""

from __future__ import annotations

import json

from llmops_events.governance import ProhibitedTokensPublished
from llmops_runtime.projections.projector import Projector
from llmops_runtime.projections.rows import Rows
from llmops_runtime.relay.envelope import EventEnvelope

projector = Projector()


@projector.on(ProhibitedTokensPublished)
async def published(rows: Rows, e: ProhibitedTokensPublished, env: EventEnvelope) -> None:
    """Replace a policy's token list; an empty list withdraws the policy's tokens."""
    row = {"policy_id": e.policy_id, "policy_name": e.policy_name}
    row |= {"tokens": json.dumps(e.tokens), "published_by": e.published_by}
    row |= {"updated_at": env.committed_at}
    await rows.upsert("governance_prohibited_tokens", row, key=("policy_id",))
