"""Projection of the prompt service's template and label events."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import asyncpg

from llmops_events import prompt as contracts

_STATUS_BY_EVENT = {
    contracts.PromptTemplateWentLive.WIRE_NAME: "live",
    contracts.PromptTemplateRetired.WIRE_NAME: "retired",
}
_LABEL_ACTORS = {
    contracts.PromptLabelAssigned.WIRE_NAME: "assigned_by",
    contracts.PromptLabelMoved.WIRE_NAME: "moved_by",
    contracts.PromptLabelRemoved.WIRE_NAME: "removed_by",
}


async def project_template_event(
    conn: asyncpg.Connection, schema: str, wire_type: str, p: Mapping[str, Any], at: datetime
) -> None:
    """Apply one template or label event; other wire types are ignored."""
    if wire_type == contracts.PromptTemplateRegistered.WIRE_NAME:
        await conn.execute(
            f"INSERT INTO {schema}.prompt_templates (prompt_template_id, name, version, language,"
            " content, context_tags, status, registered_by, created_at, updated_at)"
            " VALUES ($1, $2, $3, $4, $5, $6, 'draft', $7, $8, $8)"
            " ON CONFLICT (prompt_template_id) DO NOTHING",
            p["prompt_template_id"], p["name"], p["version"], p["language"], p["content"],
            json.dumps(p["context_tags"]), p["registered_by"], at,
        )  # fmt: skip
    elif wire_type == contracts.PromptTemplateRevised.WIRE_NAME:
        await conn.execute(
            f"UPDATE {schema}.prompt_templates SET content = $2, context_tags = $3,"
            " updated_at = $4 WHERE prompt_template_id = $1",
            p["prompt_template_id"], p["content"], json.dumps(p["context_tags"]), at,
        )  # fmt: skip
    elif wire_type in _STATUS_BY_EVENT:
        await conn.execute(
            f"UPDATE {schema}.prompt_templates SET status = $2, updated_at = $3"
            " WHERE prompt_template_id = $1",
            p["prompt_template_id"], _STATUS_BY_EVENT[wire_type], at,
        )  # fmt: skip
    elif wire_type in _LABEL_ACTORS:
        await conn.execute(
            f"INSERT INTO {schema}.prompt_labels (prompt_label_id, name, label,"
            " prompt_template_id, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6)"
            " ON CONFLICT (prompt_label_id) DO UPDATE SET prompt_template_id = $4,"
            " updated_by = $5, updated_at = $6",
            p["prompt_label_id"], p["name"], p["label"], p.get("prompt_template_id"),
            p[_LABEL_ACTORS[wire_type]], at,
        )  # fmt: skip
