"""Training metrics benchmark: metric points/s end to end through training.record_metrics.

The training service runs in a process of its own on the real Kafka and PostgreSQL (its own
schema and topics, local scheduler off), as `llmops bench commands` runs its service. A job is
submitted and started as an external scheduler would; then commands of 5,000 points each are
sent, `in_flight` at a time. The clock stops when the last point is in the service's
training_metrics table (command authorized and accepted, event appended with its hash chain and
audit, projected with one unnest insert per event). For scale, `database_only_points_per_s`
inserts the same points straight into a copy of the table (asyncpg executemany, no bus, no
event store): the database's own ceiling, not a competing design.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
import uuid
from typing import Any

import asyncpg

from llmops_bench.training_service import bench_definition
from llmops_runtime.auth import issue_token
from llmops_runtime.client import CommandClient
from llmops_runtime.service import migrate_services

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


def _start(name: str, bootstrap: str, url: str, env: dict[str, str]) -> subprocess.Popen[str]:
    args = [sys.executable, "-m", "llmops_bench.training_service", name, bootstrap, url]
    return subprocess.Popen(args, env=env, stdout=subprocess.PIPE, text=True)


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
    bootstrap: str, database_url: str, commands: int = 40, in_flight: int = 16
) -> dict[str, float]:
    """Measure ingestion of `commands` x 5,000 points, `in_flight` at a time; the figures."""
    name = f"benchtrain{uuid.uuid4().hex[:8]}"
    urls = await migrate_services(database_url, [bench_definition(name)])
    owner = await asyncpg.create_pool(database_url, min_size=1, max_size=2)
    model, data = uuid.uuid4(), uuid.uuid4()
    await owner.execute(
        f"INSERT INTO {name}.catalog_models VALUES ($1, 'bench', '1.0.0', 'approved', now())", model
    )
    await owner.execute(
        f"INSERT INTO {name}.approved_datasets VALUES ($1, 'bench', '1', now())", data
    )
    env = dict(os.environ) | {
        "LLMOPS_AUTH_HS256_KEYS": json.dumps([_KEY]), "LLMOPS_AUTH_ISSUERS": json.dumps([_ISSUER]),
        "LLMOPS_GOVERNANCE_BOOTSTRAP_ADMINS": _ACTOR, "LLMOPS_TRAINING_LOCAL_SCHEDULER": "false",
    }  # fmt: skip
    process = _start(name, bootstrap, urls[name], env)
    assert process.stdout is not None
    await asyncio.to_thread(process.stdout.readline)  # "ready"
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
        process.terminate()
        await asyncio.to_thread(process.wait)
        await owner.close()
    return {
        "metric_points": float(total),
        "points_per_command": float(POINTS_PER_COMMAND),
        "metrics_per_s_end_to_end": round(total / projected_s, 1),
        "metrics_per_s_accepted": round(total / accepted_s, 1),
        "database_only_points_per_s": round(baseline, 1),
    }
