"""Projection of the dataset service's own events into dataset_versions."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import asyncpg

from llmops_events import dataset as contracts


async def project_dataset_event(
    conn: asyncpg.Connection, schema: str, wire_type: str, p: Mapping[str, Any], at: datetime
) -> None:
    """Apply one dataset event to dataset_versions; other wire types are ignored."""
    table = f"{schema}.dataset_versions"
    if wire_type == contracts.DatasetVersionRegistered.WIRE_NAME:
        # registered_seq orders versions of a name by registration, whatever their labels.
        await conn.execute(
            f"INSERT INTO {table} (dataset_version_id, name, version, storage_uri, owner_team,"
            " change_log, previous_version, diff_summary, pii_scan_status, registered_by,"
            " registered_seq, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8,"
            " 'pending', $9, (SELECT count(*) FROM " + table + " WHERE name = $2), $10, $10)"
            " ON CONFLICT (dataset_version_id) DO NOTHING",
            p["dataset_version_id"], p["name"], p["version"], p["storage_uri"], p["owner_team"],
            p["change_log"], p["previous_version"], p["diff_summary"], p["registered_by"], at,
        )  # fmt: skip
    elif wire_type == contracts.DatasetVersionPiiScanRecorded.WIRE_NAME:
        await _update(conn, table, p, "pii_scan_status = $2", p["pii_scan_status"], at)
    elif wire_type == contracts.DatasetVersionQualityScored.WIRE_NAME:
        await _update(conn, table, p, "quality_score = $2", p["quality_score"], at)
    elif wire_type == contracts.DatasetVersionChangeLogAmended.WIRE_NAME:
        await _update(conn, table, p, "change_log = $2", p["change_log"], at)
    elif wire_type == contracts.DatasetVersionApproved.WIRE_NAME:
        approved_at = datetime.fromisoformat(p["approved_at"])
        await conn.execute(
            f"UPDATE {table} SET approved_by = $2, approved_at = $3, updated_at = $4"
            " WHERE dataset_version_id = $1",
            p["dataset_version_id"], p["approved_by"], approved_at, at,
        )  # fmt: skip


async def _update(
    conn: asyncpg.Connection,
    table: str,
    p: Mapping[str, Any],
    assignment: str,
    value: object,
    at: datetime,
) -> None:
    await conn.execute(
        f"UPDATE {table} SET {assignment}, updated_at = $3 WHERE dataset_version_id = $1",
        p["dataset_version_id"], value, at,
    )  # fmt: skip
