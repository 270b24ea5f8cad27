"""Projection of the catalog's own events into model_versions and model_aliases."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import asyncpg

from llmops_events import catalog as contracts

# The transition events and the status each one leads to.
_TRANSITIONS = {
    contracts.ModelVersionSubmitted.WIRE_NAME: ("under_review", "submitted_by"),
    contracts.ModelVersionApproved.WIRE_NAME: ("approved", "reviewer"),
    contracts.ModelVersionRejected.WIRE_NAME: ("draft", "reviewer"),
    contracts.ModelVersionDeprecated.WIRE_NAME: ("deprecated", "deprecated_by"),
}
_ALIAS_ACTORS = {
    contracts.ModelAliasAssigned.WIRE_NAME: "assigned_by",
    contracts.ModelAliasMoved.WIRE_NAME: "moved_by",
    contracts.ModelAliasRemoved.WIRE_NAME: "removed_by",
}


async def project_catalog_event(
    conn: asyncpg.Connection, schema: str, wire_type: str, p: Mapping[str, Any], at: datetime
) -> None:
    """Apply one catalog event to the read models; other wire types are ignored."""
    if wire_type == contracts.ModelVersionRegistered.WIRE_NAME:
        await conn.execute(
            f"INSERT INTO {schema}.model_versions (model_version_id, name, version, type, status,"
            " owner_team, metadata, storage_uri, lineage_dataset_ids, registered_by,"
            " created_at, updated_at) VALUES ($1, $2, $3, $4, 'draft', $5, $6, $7, $8, $9,"
            " $10, $10) ON CONFLICT (model_version_id) DO NOTHING",
            p["model_version_id"], p["name"], p["version"], p["type"], p["owner_team"],
            json.dumps(p["metadata"]), p["storage_uri"], json.dumps(p["lineage_dataset_ids"]),
            p["registered_by"], at,
        )  # fmt: skip
    elif wire_type in _TRANSITIONS:
        status, actor_field = _TRANSITIONS[wire_type]
        transition = {"to_status": status, "actor": p[actor_field], "reason": p["reason"]}
        await conn.execute(
            f"UPDATE {schema}.model_versions SET status = $2, last_transition = $3,"
            " updated_at = $4 WHERE model_version_id = $1",
            p["model_version_id"], status, json.dumps(transition), at,
        )  # fmt: skip
    elif wire_type in _ALIAS_ACTORS:
        await conn.execute(
            f"INSERT INTO {schema}.model_aliases (model_alias_id, name, alias, model_version_id,"
            " updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6)"
            " ON CONFLICT (model_alias_id) DO UPDATE SET model_version_id = $4,"
            " updated_by = $5, updated_at = $6",
            p["model_alias_id"], p["name"], p["alias"], p.get("model_version_id"),
            p[_ALIAS_ACTORS[wire_type]], at,
        )  # fmt: skip
