"""Projections of other services' events the catalog's rules depend on."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import asyncpg

from llmops_events import dataset as dataset_contracts
from llmops_events.evaluation import EvaluationRunCompleted


async def project_dataset_event(
    conn: asyncpg.Connection, schema: str, wire_type: str, p: Mapping[str, Any], at: datetime
) -> None:
    """Remember every dataset version seen (lineage rule) and when it was approved."""
    if wire_type == dataset_contracts.DatasetVersionRegistered.WIRE_NAME:
        event = dataset_contracts.DatasetVersionRegistered.model_validate(p)
        await conn.execute(
            f"INSERT INTO {schema}.known_dataset_versions (dataset_version_id, name, version)"
            " VALUES ($1, $2, $3) ON CONFLICT (dataset_version_id) DO NOTHING",
            event.dataset_version_id, event.name, event.version,
        )  # fmt: skip
    elif wire_type == dataset_contracts.DatasetVersionApproved.WIRE_NAME:
        approved = dataset_contracts.DatasetVersionApproved.model_validate(p)
        await conn.execute(
            f"INSERT INTO {schema}.known_dataset_versions (dataset_version_id, name, version,"
            " approved_at) VALUES ($1, $2, $3, $4) ON CONFLICT (dataset_version_id)"
            " DO UPDATE SET approved_at = $4",
            approved.dataset_version_id, approved.name, approved.version, approved.approved_at,
        )  # fmt: skip


async def project_evaluation_event(
    conn: asyncpg.Connection, schema: str, wire_type: str, p: Mapping[str, Any], at: datetime
) -> None:
    """Remember every completed or failed evaluation run (approval gate, evaluation_summary)."""
    if wire_type != EvaluationRunCompleted.WIRE_NAME:
        return
    run = EvaluationRunCompleted.model_validate(p)
    await conn.execute(
        f"INSERT INTO {schema}.evaluation_runs (run_id, model_version_id, type, status, metrics,"
        " completed_at, run_by) VALUES ($1, $2, $3, $4, $5, $6, $7)"
        " ON CONFLICT (run_id) DO NOTHING",
        run.run_id, run.model_entry_id, run.type, run.status, json.dumps(run.metrics),
        run.completed_at, run.run_by,
    )  # fmt: skip
