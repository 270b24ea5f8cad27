"""`llmops bench peers`: this platform beside MLflow's tracking server and model registry.

One run, one machine, one PostgreSQL server. This platform: the catalog and governance
services in processes of their own (a fresh database, their real names and topics), the
training service for metrics (`llmops bench training-metrics`' harness), clients over Kafka
and HTTP. The peer: MLflow's server (`mlflow_peer`) with `workers` uvicorn workers on a fresh
database of the same server. Both sides get the same operations and the same client
concurrency; latencies are measured one client-side clock for both.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from llmops_bench.mlflow_peer import MLFLOW_VERSION, MlflowPeer, call, mlflow_server
from llmops_bench.training_metrics import POINTS_PER_COMMAND, run_training_metrics_benchmark
from llmops_events.evaluation import EvaluationRunCompleted
from llmops_runtime.auth import issue_token
from llmops_runtime.client import CommandClient
from llmops_runtime.service import migrate_services
from llmops_runtime.service.installed import load_definition, service_entries
from llmops_testing.stack import publish_as_relay

_KEY = uuid.uuid4().hex * 2  # a throwaway key for this run only
_ISSUER = "llmops-bench"
_REGISTRANT, _APPROVER = "bench-registrant", "bench-approver"
MODEL_CARD = {"purpose": "bench", "scope": "bench", "contact": "bench@example.com",
              "licensing": "MIT"}  # fmt: skip


@dataclass(frozen=True)
class Workload:
    """How much each side is given; the same for both."""

    versions: int = 2_000
    concurrency: int = 16
    paced_rate: float = 20.0  # below both sides' capacity: latency, not queueing
    paced_s: float = 10.0
    metric_points: int = 200_000
    alias_reads: int = 2_000
    propagation_rate: float = 200.0
    propagation_s: float = 10.0
    mlflow_workers: int = 4


def percentile(values: list[float], q: float) -> float:
    """The q-quantile of values (nearest rank on the sorted values)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def with_ratios(figures: dict[str, float]) -> dict[str, float]:
    """Each `platform_X` beside `mlflow_X` gets `ratio_X` = platform / mlflow."""
    ratios = {
        f"ratio_{key.removeprefix('platform_')}": round(value / peer, 3)
        for key, value in figures.items()
        if key.startswith("platform_")
        and (peer := figures.get("mlflow_" + key.removeprefix("platform_")))
    }
    return figures | ratios


async def _concurrently(
    count: int, concurrency: int, one: Callable[[int], Awaitable[None]]
) -> float:
    """Operations per second of `count` calls of one(i), `concurrency` at a time."""
    slots = asyncio.Semaphore(concurrency)

    async def slot(i: int) -> None:
        async with slots:
            await one(i)

    began = time.perf_counter()
    await asyncio.gather(*(slot(i) for i in range(count)))
    return count / (time.perf_counter() - began)


async def _paced(rate: float, seconds: float, one: Callable[[int], Awaitable[None]]) -> list[float]:
    """Latencies (ms) of one(i) offered at a fixed rate for seconds."""
    latencies: list[float] = []

    async def timed(i: int) -> None:
        began = time.perf_counter()
        await one(i)
        latencies.append((time.perf_counter() - began) * 1000)

    tasks, began = [], time.perf_counter()
    for i in range(int(rate * seconds)):
        await asyncio.sleep(max(0.0, began + i / rate - time.perf_counter()))
        tasks.append(asyncio.create_task(timed(i)))
    await asyncio.gather(*tasks)
    return latencies


async def _sequential_ms(count: int, one: Callable[[], Awaitable[None]]) -> list[float]:
    latencies = []
    for _ in range(count):
        began = time.perf_counter()
        await one()
        latencies.append((time.perf_counter() - began) * 1000)
    return latencies


def _latency(prefix: str, latencies: list[float]) -> dict[str, float]:
    return {
        f"{prefix}_p50_ms": round(percentile(latencies, 0.50), 2),
        f"{prefix}_p99_ms": round(percentile(latencies, 0.99), 2),
    }


# --- this platform ----------------------------------------------------------------------------


class Platform:
    """Catalog and governance in processes of their own; a command client; their HTTP ports."""

    def __init__(self, bootstrap: str, owner: asyncpg.Pool, client: CommandClient) -> None:
        self.bootstrap, self.owner, self.client = bootstrap, owner, client
        self.ports: dict[str, int] = {}
        self.token = issue_token(_REGISTRANT, _KEY, _ISSUER, ttl_s=7200)

    async def send(self, service: str, wire: str, payload: dict[str, Any]) -> str:
        result = await self.client.send(service, wire, payload, timeout=120)
        if not result.accepted:
            raise RuntimeError(f"{wire} refused: {result.code}: {result.message}")
        return str(result.aggregate_id)

    def register(self, model: str) -> Callable[[int], Awaitable[None]]:
        async def one(i: int) -> None:
            await self.send("catalog", "catalog.register_model_version", {
                "name": model, "version": f"1.0.{i}", "type": "base", "owner_team": "bench",
                "metadata": MODEL_CARD,
            })  # fmt: skip

        return one


async def _fresh_database(database_url: str) -> str:
    name = f"bench_peers_{uuid.uuid4().hex[:8]}"
    conn = await asyncpg.connect(database_url)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    base, _, _ = database_url.partition("?")[0].rpartition("/")
    return f"{base}/{name}"


def _start(service: str, bootstrap: str, url: str) -> subprocess.Popen[str]:
    env = dict(os.environ) | {
        "LLMOPS_AUTH_HS256_KEYS": json.dumps([_KEY]), "LLMOPS_AUTH_ISSUERS": json.dumps([_ISSUER]),
        "LLMOPS_GOVERNANCE_BOOTSTRAP_ADMINS": f"{_REGISTRANT},{_APPROVER}",
    }  # fmt: skip
    args = [sys.executable, "-m", "llmops_bench.service_process", service, bootstrap, url]
    return subprocess.Popen(args, env=env, stdout=subprocess.PIPE, text=True)


def _ready_port(process: subprocess.Popen[str]) -> int:
    """The port of its `ready <port>` line; its other output is drained from then on."""
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("ready "):
            threading.Thread(target=process.stdout.read, daemon=True).start()
            return int(line.split()[1])
    raise RuntimeError(f"the service process exited with {process.wait()} before it served")


async def _alias_target(platform: Platform, model: str, http: httpx.AsyncClient) -> None:
    """A version registered, evaluated, approved (by another actor) and aliased champion."""
    version = await platform.send("catalog", "catalog.register_model_version", {
        "name": model, "version": "9.9.9", "type": "base", "owner_team": "bench",
        "metadata": MODEL_CARD,
    })  # fmt: skip
    await platform.send("catalog", "catalog.submit_model_version",
                        {"model_version_id": version, "reason": "bench"})  # fmt: skip
    for kind in ("automated", "human"):
        run = EvaluationRunCompleted(
            run_id=uuid.uuid4(), model_entry_id=uuid.UUID(version), dataset_id=uuid.uuid4(),
            prompt_template_id=None, type=kind, metrics={"score": 0.9}, status="completed",
            started_at=datetime.now(UTC), completed_at=datetime.now(UTC), run_by="bench",
            snapshot_digest=None,
        )  # fmt: skip
        await publish_as_relay(
            platform.bootstrap, "llmops.evaluation.events", run, stream_id=run.run_id
        )
    approver = issue_token(_APPROVER, _KEY, _ISSUER, ttl_s=7200)
    async with CommandClient(platform.bootstrap, actor_token=approver) as approving:
        for _ in range(600):  # until the catalog has read both runs
            approved = await approving.send(
                "catalog",
                "catalog.approve_model_version",
                {"model_version_id": version, "reason": "bench"},
            )
            if approved.accepted:
                break
            await asyncio.sleep(0.1)
        else:
            raise RuntimeError(f"the bench version was never approved: {approved.message}")
    await platform.send(
        "catalog",
        "catalog.set_model_alias",
        {"name": model, "alias": "champion", "model_version_id": version},
    )
    while (await http.get(f"/models/{model}/aliases/champion")).status_code != 200:  # noqa: ASYNC110
        await asyncio.sleep(0.05)


async def _propagation(
    platform: Platform, rate: float, seconds: float
) -> tuple[list[float], list[float]]:
    """ms from governance.grant_role accepted (and from sent) to the catalog's projection."""
    sent: dict[uuid.UUID, float] = {}
    accepted: dict[uuid.UUID, float] = {}
    seen: dict[uuid.UUID, float] = {}
    done = asyncio.Event()

    async def grant(i: int) -> None:
        began = time.perf_counter()
        binding = await platform.send("governance", "governance.grant_role", {
            "subject_kind": "actor", "subject": f"viewer-{uuid.uuid4().hex[:12]}",
            "role": "viewer", "reason": "bench",
        })  # fmt: skip
        accepted[uuid.UUID(binding)] = time.perf_counter()
        sent[uuid.UUID(binding)] = began

    async def watch() -> None:
        query = (
            "SELECT role_binding_id FROM catalog.access_role_bindings"
            " WHERE role_binding_id = ANY($1)"
        )
        while not (done.is_set() and len(seen) == len(sent)):
            pending = [b for b in sent if b not in seen]
            if pending:
                for row in await platform.owner.fetch(query, pending):
                    seen[row["role_binding_id"]] = time.perf_counter()
            await asyncio.sleep(0.002)

    watcher = asyncio.create_task(watch())
    await _paced(rate, seconds, grant)
    done.set()
    await asyncio.wait_for(watcher, 120)
    # Seen before the reply reached the client counts as 0: it was visible on acceptance.
    from_accepted = [max(0.0, seen[b] - accepted[b]) * 1000 for b in sent]
    return from_accepted, [(seen[b] - sent[b]) * 1000 for b in sent]


async def platform_figures(bootstrap: str, database_url: str, load: Workload) -> dict[str, float]:
    """This platform's figures: registration, alias reads, cross-service propagation."""
    url = await _fresh_database(database_url)
    definitions = [load_definition(service_entries()[s]) for s in ("governance", "catalog")]
    urls = await migrate_services(url, definitions)
    processes = {d.name: _start(d.name, bootstrap, urls[d.name]) for d in definitions}
    owner = await asyncpg.create_pool(url, min_size=1, max_size=2)
    figures: dict[str, float] = {}
    try:
        token = issue_token(_REGISTRANT, _KEY, _ISSUER, ttl_s=7200)
        async with CommandClient(bootstrap, actor_token=token) as client:
            platform = Platform(bootstrap, owner, client)
            for name, process in processes.items():
                platform.ports[name] = await asyncio.to_thread(_ready_port, process)
            model = f"bench-{uuid.uuid4().hex[:8]}"
            register = platform.register(model)
            await register(load.versions)  # warm the path once (a version of its own)
            figures["platform_registrations_per_s"] = round(
                await _concurrently(load.versions, load.concurrency, register), 1
            )
            paced = platform.register(f"{model}-paced")
            figures |= _latency(
                "platform_registration", await _paced(load.paced_rate, load.paced_s, paced)
            )
            headers = {"Authorization": f"Bearer {platform.token}"}
            base = f"http://127.0.0.1:{platform.ports['catalog']}"
            async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as http:
                await _alias_target(platform, model, http)

                async def read() -> None:
                    (await http.get(f"/models/{model}/aliases/champion")).raise_for_status()

                figures |= _latency(
                    "platform_alias_read", await _sequential_ms(load.alias_reads, read)
                )
            from_accepted, from_sent = await _propagation(
                platform, load.propagation_rate, load.propagation_s
            )
            figures |= _latency("platform_propagation", from_accepted)
            figures |= _latency("platform_propagation_from_send", from_sent)
    finally:
        for process in processes.values():
            process.terminate()
            await asyncio.to_thread(process.wait)
        await owner.close()
    metrics = await run_training_metrics_benchmark(
        bootstrap, database_url, commands=max(1, load.metric_points // POINTS_PER_COMMAND),
        in_flight=load.concurrency,
    )  # fmt: skip
    figures["platform_metrics_per_s"] = metrics["metrics_per_s_end_to_end"]
    return figures


# --- MLflow ------------------------------------------------------------------------------------


async def mlflow_figures(peer: MlflowPeer, load: Workload) -> dict[str, float]:
    """MLflow's figures for the same operations, the same client concurrency."""
    limits = httpx.Limits(
        max_connections=load.concurrency, max_keepalive_connections=load.concurrency
    )
    figures: dict[str, float] = {}
    async with httpx.AsyncClient(base_url=peer.url, limits=limits, timeout=120) as http:
        model = f"bench-{uuid.uuid4().hex[:8]}"
        for name in (model, f"{model}-paced"):
            await call(http, "POST", "/registered-models/create", name=name)

        def register(name: str) -> Callable[[int], Awaitable[None]]:
            async def one(i: int) -> None:
                await call(http, "POST", "/model-versions/create", name=name,
                           source=f"s3://bench/{name}/{i}")  # fmt: skip

            return one

        await register(model)(load.versions)
        figures["mlflow_registrations_per_s"] = round(
            await _concurrently(load.versions, load.concurrency, register(model)), 1
        )
        paced = await _paced(load.paced_rate, load.paced_s, register(f"{model}-paced"))
        figures |= _latency("mlflow_registration", paced)

        run = await call(http, "POST", "/runs/create", experiment_id="0", start_time=0)
        run_id = run["run"]["info"]["run_id"]
        per_batch = 1_000  # MLflow's limit of metrics per log-batch request
        now_ms = int(time.time() * 1000)

        async def log_batch(b: int) -> None:
            metrics = [
                {"key": ("loss", "accuracy", "lr", "grad_norm")[i % 4],
                 "value": 1 / (i + 1), "timestamp": now_ms, "step": b * per_batch + i}
                for i in range(per_batch)
            ]  # fmt: skip
            await call(http, "POST", "/runs/log-batch", run_id=run_id, metrics=metrics)

        batches = max(1, load.metric_points // per_batch)
        per_s = await _concurrently(batches, load.concurrency, log_batch)
        figures["mlflow_metrics_per_s"] = round(per_s * per_batch, 1)

        await call(http, "POST", "/registered-models/alias", name=model, alias="champion",
                   version="1")  # fmt: skip

        async def read() -> None:
            await call(http, "GET", "/registered-models/alias", name=model, alias="champion")

        figures |= _latency("mlflow_alias_read", await _sequential_ms(load.alias_reads, read))
    return figures


async def run_peers_benchmark(
    bootstrap: str, database_url: str, load: Workload | None = None
) -> dict[str, float]:
    """Both sides in one run; every platform figure beside MLflow's, with their ratios."""
    load = load or Workload()
    figures = await platform_figures(bootstrap, database_url, load)
    with tempfile.TemporaryDirectory(prefix="bench-mlflow-") as artifacts:
        async with mlflow_server(database_url, load.mlflow_workers, Path(artifacts)) as peer:
            figures |= await mlflow_figures(peer, load)
    described = {f"workload_{k}": float(v) for k, v in asdict(load).items()}
    return (
        with_ratios(figures)
        | described
        | {"mlflow_version_major": float(MLFLOW_VERSION.split(".")[0])}
    )
