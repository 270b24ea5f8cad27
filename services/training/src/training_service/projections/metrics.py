"""Projection of metric batches into training_metrics: set-based, one insert per runner batch.

Every point of every `training.metrics.recorded` event in the runner's batch goes in with one
INSERT ... SELECT FROM unnest(column arrays). The payloads were validated against the contract
when the command was accepted (and appended from the aggregate's typed event), so the points
are read as stored (by column), without a second per-point validation.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

import asyncpg

from llmops_events import training as contracts
from llmops_runtime.eventstore.sqlnames import checked_identifier
from llmops_runtime.relay.envelope import EventEnvelope

WIRE_TYPE = contracts.TrainingMetricsRecorded.WIRE_NAME
COLUMNS = "training_job_id, name, step, attempt, metric_batch_id, seq, value, unit, recorded_at"
INSERT = (
    "INSERT INTO {s}.training_metrics (" + COLUMNS + ") SELECT * FROM unnest("
    "$1::uuid[], $2::text[], $3::bigint[], $4::int[], $5::uuid[], $6::int[], $7::float8[],"
    " $8::text[], $9::timestamptz[]) ON CONFLICT DO NOTHING"
)


async def apply_metrics(
    conn: asyncpg.Connection, schema: str, envelopes: Sequence[EventEnvelope]
) -> None:
    """Insert the points of every metrics event in the batch at once."""
    cols: tuple[list[object], ...] = ([], [], [], [], [], [], [], [], [])
    job, name, step, attempt, batch, seq, value, unit, at = cols
    for env in envelopes:
        if env.wire_type != WIRE_TYPE:
            continue
        p = env.payload
        count = len(p["names"])
        job += [UUID(p["training_job_id"])] * count
        batch += [UUID(p["metric_batch_id"])] * count
        attempt += [p["attempt"]] * count
        name += p["names"]
        step += p["steps"]
        value += [float(v) for v in p["values"]]
        seq += range(count)
        unit += p.get("units") or [None] * count
        stamps = p.get("timestamps") or [None] * count
        at += [datetime.fromisoformat(t) if t else env.committed_at for t in stamps]
    if job:
        await conn.execute(INSERT.format(s=checked_identifier(schema)), *cols)
