"""Projection of governance's prohibited-token lists (one row per policy, replaced whole)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import asyncpg

from llmops_events.governance import ProhibitedTokensPublished


async def project_governance_event(
    conn: asyncpg.Connection, schema: str, wire_type: str, p: Mapping[str, Any], at: datetime
) -> None:
    """Replace a policy's token list; an empty list withdraws the policy's tokens."""
    if wire_type != ProhibitedTokensPublished.WIRE_NAME:
        return
    published = ProhibitedTokensPublished.model_validate(p)
    await conn.execute(
        f"INSERT INTO {schema}.governance_prohibited_tokens (policy_id, policy_name, tokens,"
        " published_by, updated_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (policy_id)"
        " DO UPDATE SET policy_name = $2, tokens = $3, published_by = $4, updated_at = $5",
        published.policy_id, published.policy_name, json.dumps(published.tokens),
        published.published_by, at,
    )  # fmt: skip
