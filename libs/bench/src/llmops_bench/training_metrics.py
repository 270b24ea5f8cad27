"""Training metrics benchmark: metric points/s end to end through training.record_metrics.

The training service is hosted in this process on the real Kafka and PostgreSQL (its own
schema and topics, local scheduler off). A job is submitted and started as an external
scheduler would; then commands of 5,000 points each are sent, a few in flight at a time. The
clock stops when the last point is in the service's training_metrics table (command accepted,
event appended, projected with one unnest insert per batch). The baseline inserts the same
points one row per statement (asyncpg executemany) into a copy of the table.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import time
import uuid
from typing import Any

import asyncpg

from llmops_runtime.auth import issue_token
from llmops_runtime.client import CommandClient
from llmops_runtime.service import ServiceHost, Wiring, migrate_services, settings_for
from training_service.application.jobs import utc_now
from training_service.bootstrap import training_bootstrap
from training_service.definition import service_definition
from training_service.settings import TrainingSettings

_KEY = uuid.uuid4().hex * 2  # a throwaway key for this run only
_ISSUER = "llmops-bench"
_ACTOR = "bench-trainer"
POINTS_PER_COMMAND = 5_000


def _points(command: int) -> list[dict[str, Any]]:
    base = command * POINTS_PER_COMMAND
    return [
        {
            "name": ("loss", "accuracy", "lr", "grad_norm")[i % 4],
            "step": base + i,
            "value": 1 / (i + 1),
        }
        for i in range(POINTS_PER_COMMAND)
    ]


async def _baseline(pool: asyncpg.Pool, schema: str, count: int) -> float:
    """Points/s with one INSERT statement per point (executemany) into a copy of the table."""
    job = uuid.uuid4()
    batch = uuid.uuid4()
    rows = [
        (job, p["name"], p["step"], 1, batch, i, p["value"])
        for i, p in enumerate(_points(0)[:count])
    ]
    async with pool.acquire() as conn:
        await conn.execute(
            f"CREATE TABLE {schema}.baseline_metrics (LIKE {schema}.training_metrics INCLUDING ALL)"
        )
        started = time.perf_counter()
        async with conn.transaction():
            await conn.executemany(
                f"INSERT INTO {schema}.baseline_metrics (training_job_id, name, step, attempt,"
                " metric_batch_id, seq, value, recorded_at)"
                " VALUES ($1, $2, $3, $4, $5, $6, $7, now())",
                rows,
            )
        elapsed = time.perf_counter() - started
        await conn.execute(f"DROP TABLE {schema}.baseline_metrics")
    return count / elapsed


async def run_training_metrics_benchmark(
    bootstrap: str, database_url: str, commands: int = 40, in_flight: int = 4
) -> dict[str, float]:
    """Measure ingestion of `commands` x 5,000 points; return the figures."""
    os.environ["LLMOPS_AUTH_HS256_KEYS"] = json.dumps([_KEY])
    os.environ["LLMOPS_AUTH_ISSUERS"] = json.dumps([_ISSUER])
    os.environ["LLMOPS_GOVERNANCE_BOOTSTRAP_ADMINS"] = _ACTOR
    name = f"benchtrain{uuid.uuid4().hex[:8]}"
    config = TrainingSettings(local_scheduler=False)
    definition = dataclasses.replace(
        service_definition(Wiring(training_bootstrap(lambda: config, utc_now))),
        name=name,
    )
    urls = await migrate_services(database_url, [definition])
    owner = await asyncpg.create_pool(database_url, min_size=1, max_size=2)
    model, data = uuid.uuid4(), uuid.uuid4()
    await owner.execute(
        f"INSERT INTO {name}.catalog_models VALUES ($1, 'bench', '1.0.0', 'approved', now())", model
    )
    await owner.execute(
        f"INSERT INTO {name}.approved_datasets VALUES ($1, 'bench', '1', now())", data
    )
    host = ServiceHost(
        definition,
        settings_for(name, database_url=urls[name], kafka_bootstrap_servers=bootstrap, http_port=0),
    )
    await host.start()
    total = commands * POINTS_PER_COMMAND
    try:
        token = issue_token(_ACTOR, _KEY, _ISSUER, ttl_s=3600)
        async with CommandClient(bootstrap, actor_token=token) as client:
            submitted = await client.send(name, "training.submit_job", {
                "model_entry_id": str(model), "dataset_ids": [str(data)], "owner_team": "bench",
                "command": ["train"], "scheduler_id": "kubernetes",
            }, timeout=60)  # fmt: skip
            assert submitted.accepted, submitted
            job_id = submitted.aggregate_id
            started = await client.send(name, "training.report_attempt", {
                "training_job_id": job_id, "attempt": 1, "outcome": "started", "runner": "bench",
            }, key=job_id, timeout=60)  # fmt: skip
            assert started.accepted, started
            payloads = [
                {"training_job_id": job_id, "attempt": 1, "points": _points(c)}
                for c in range(commands)
            ]
            slots = asyncio.Semaphore(in_flight)

            async def one(payload: dict[str, Any]) -> None:
                async with slots:
                    result = await client.send(
                        name, "training.record_metrics", payload, key=job_id, timeout=120
                    )
                    assert result.accepted, result

            began = time.perf_counter()
            await asyncio.gather(*(one(p) for p in payloads))
            accepted_s = time.perf_counter() - began
            count = f"SELECT count(*) FROM {name}.training_metrics"
            while await owner.fetchval(count) < total:  # noqa: ASYNC110 - the projection's table
                await asyncio.sleep(0.02)
            projected_s = time.perf_counter() - began
        baseline = await _baseline(owner, name, 20_000)
    finally:
        await host.stop()
        await owner.close()
    return {
        "metric_points": float(total),
        "points_per_command": float(POINTS_PER_COMMAND),
        "metrics_per_s_end_to_end": round(total / projected_s, 1),
        "metrics_per_s_accepted": round(total / accepted_s, 1),
        "baseline_row_inserts_per_s": round(baseline, 1),
    }
