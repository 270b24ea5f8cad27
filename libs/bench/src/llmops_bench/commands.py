"""Command bus benchmark: sustained commands/s, latency at 200/s, service RSS, library baseline."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import uuid
from typing import Any

import psutil

from llmops_bench.command_service import BENCH_ACTOR, OPEN_TALLY
from llmops_bench.library_baseline import library_commands_per_s
from llmops_runtime.auth import issue_token
from llmops_runtime.client import CommandClient

_KEY = uuid.uuid4().hex * 2  # a throwaway key for this run only
_ISSUER = "llmops-bench"


def _start_service(service: str, bootstrap: str, database_url: str) -> subprocess.Popen[str]:
    env = dict(os.environ)
    env["LLMOPS_AUTH_HS256_KEYS"] = f'["{_KEY}"]'
    env["LLMOPS_AUTH_ISSUERS"] = f'["{_ISSUER}"]'
    schema = f"bench_{service.replace('-', '_')}"
    args = [sys.executable, "-m", "llmops_bench.command_service", service, bootstrap]
    return subprocess.Popen(
        [*args, database_url, schema], env=env, stdout=subprocess.PIPE, text=True
    )


class _RssSampler:
    """Samples a process's resident memory twice a second; keeps the peak."""

    def __init__(self, pid: int) -> None:
        self.process = psutil.Process(pid)
        self.peak_mb = 0.0

    async def run(self) -> None:
        while True:
            self.peak_mb = max(self.peak_mb, self.process.memory_info().rss / 2**20)
            await asyncio.sleep(0.5)


async def _one(client: CommandClient, service: str, latencies: list[float] | None) -> None:
    started = time.perf_counter()
    owner = str(uuid.uuid4())
    result = await client.send(
        service, OPEN_TALLY, {"name": "bench", "owner": owner}, key=owner, timeout=120
    )
    if not result.accepted:
        raise RuntimeError(f"benchmark command rejected: {result}")
    if latencies is not None:
        latencies.append((time.perf_counter() - started) * 1000)


async def _sustained(client: CommandClient, service: str, duration_s: float) -> float:
    """Keep a window of commands in flight for duration_s; completed commands per second."""
    window = asyncio.Semaphore(2000)
    done = 0

    async def one() -> None:
        nonlocal done
        try:
            await _one(client, service, None)
            done += 1
        finally:
            window.release()

    tasks: set[asyncio.Task[None]] = set()
    started = time.perf_counter()
    while time.perf_counter() - started < duration_s:
        await window.acquire()
        task = asyncio.create_task(one())
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    elapsed_at_deadline = time.perf_counter() - started
    counted = done
    await asyncio.gather(*tasks)
    return counted / elapsed_at_deadline


async def _paced(
    client: CommandClient, service: str, rate: float, duration_s: float
) -> list[float]:
    """Offer rate commands/s for duration_s; latencies in ms."""
    latencies: list[float] = []
    tasks = []
    started = time.perf_counter()
    for i in range(int(rate * duration_s)):
        await asyncio.sleep(max(0.0, started + i / rate - time.perf_counter()))
        tasks.append(asyncio.create_task(_one(client, service, latencies)))
    await asyncio.gather(*tasks)
    return sorted(latencies)


def _percentile(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, int(q * len(values)))]


async def run_commands_benchmark(
    bootstrap: str, database_url: str, duration_s: float = 60
) -> dict[str, Any]:
    """Measure the command bus with one service instance in a separate process, 8 partitions."""
    service = f"bench{uuid.uuid4().hex[:8]}"
    process = _start_service(service, bootstrap, database_url)
    assert process.stdout is not None
    await asyncio.to_thread(process.stdout.readline)  # "ready"
    sampler = _RssSampler(process.pid)
    sampling = asyncio.create_task(sampler.run())
    try:
        token = issue_token(BENCH_ACTOR, _KEY, _ISSUER, ttl_s=3600)
        async with CommandClient(bootstrap, actor_token=token) as client:
            await _one(client, service, None)  # warm-up: group joined, topics known
            await _paced(client, service, 200, 3)
            latencies = await _paced(client, service, 200, max(10.0, duration_s / 4))
            per_s = await _sustained(client, service, duration_s)
    finally:
        sampling.cancel()
        process.terminate()
        await asyncio.to_thread(process.wait)
    library = await asyncio.to_thread(library_commands_per_s, database_url, min(15.0, duration_s))
    return {
        "commands_per_s": round(per_s, 1),
        "library_commands_per_s": round(library, 1),
        "latency_p50_ms": round(_percentile(latencies, 0.50), 2),
        "latency_p99_ms": round(_percentile(latencies, 0.99), 2),
        "service_rss_mb": round(sampler.peak_mb, 1),
    }
