"""MLflow's tracking server and model registry as the peer of `llmops bench peers`.

MLflow is never a dependency of the product: it is installed on demand, pinned, into a
virtualenv of its own under the cache (`LLMOPS_HOME/cache/bench-mlflow-<version>`, reused),
with the uv of this repository. Its server runs on the same PostgreSQL as the platform, in a
fresh database per run, with `--workers` uvicorn workers, and is stopped after the run.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from llmops_devstack.paths import cache_dir
from llmops_devstack.ports import free_port

MLFLOW_VERSION = "3.17.2"
# The PostgreSQL drivers MLflow's SQLAlchemy store loads for postgresql:// URIs.
EXTRA_PACKAGES = ("psycopg[binary]>=3.2,<4", "psycopg2-binary>=2.9,<3")
API = "/api/2.0/mlflow"


def _uv() -> str:
    """The repository's pinned uv (make setup installs it into .tools), else one on PATH."""
    here = Path(sys.prefix).parent / ".tools" / "bin" / "uv"  # beside the repository's .venv
    found = here if here.exists() else shutil.which("uv")
    if found is None:
        raise RuntimeError("uv is needed to install the MLflow peer: run `make setup` first")
    return str(found)


def mlflow_environment() -> Path:
    """The bench virtualenv with the pinned MLflow, created once; the path of its `mlflow`."""
    home = cache_dir() / f"bench-mlflow-{MLFLOW_VERSION}"
    executable = home / "bin" / "mlflow"
    if executable.exists():
        return executable
    subprocess.run([_uv(), "venv", "-q", "--python", sys.executable, str(home)], check=True)
    subprocess.run(
        [_uv(), "pip", "install", "-q", "--python", str(home / "bin" / "python"),
         f"mlflow=={MLFLOW_VERSION}", *EXTRA_PACKAGES],
        check=True,
    )  # fmt: skip
    return executable


async def _fresh_database(database_url: str) -> str:
    name = f"mlflow_bench_{uuid.uuid4().hex[:8]}"
    conn = await asyncpg.connect(database_url)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    base, _, _ = database_url.partition("?")[0].rpartition("/")
    # SQLAlchemy's psycopg 3 dialect: the driver is named in the scheme.
    return base.replace("postgresql://", "postgresql+psycopg://", 1) + f"/{name}"


@dataclass(frozen=True)
class MlflowPeer:
    """A running MLflow server: its base URL and worker count."""

    url: str
    workers: int


def _launch(
    executable: Path, store: str, artifacts: Path, port: int, workers: int
) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(executable), "server", "--backend-store-uri", store,
         "--default-artifact-root", str(artifacts), "--host", "127.0.0.1", "--port", str(port),
         "--workers", str(workers)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=dict(os.environ),
        start_new_session=True,
    )  # fmt: skip


@asynccontextmanager
async def mlflow_server(
    database_url: str, workers: int, artifacts: Path
) -> AsyncIterator[MlflowPeer]:
    """MLflow's server on a fresh database of the same PostgreSQL, until the block ends."""
    executable = await asyncio.to_thread(mlflow_environment)
    store = await _fresh_database(database_url)
    port = free_port()
    process = _launch(executable, store, artifacts, port, workers)
    url = f"http://127.0.0.1:{port}"
    try:
        await _wait_healthy(url, process, within_s=180)
        yield MlflowPeer(url, workers)
    finally:
        process.terminate()
        try:
            await asyncio.to_thread(process.wait, 20)
        except subprocess.TimeoutExpired:
            process.kill()


async def _wait_healthy(url: str, process: subprocess.Popen[bytes], within_s: float) -> None:
    deadline = time.monotonic() + within_s
    async with httpx.AsyncClient(base_url=url, timeout=2) as http:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"the MLflow server exited with {process.returncode}")
            try:
                if (await http.get("/health")).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.5)
    raise RuntimeError(f"the MLflow server did not answer within {within_s:.0f} s")


async def call(http: httpx.AsyncClient, method: str, path: str, **body: Any) -> dict[str, Any]:
    """One REST call of MLflow's API; raises on an error status."""
    if method == "GET":
        response = await http.get(API + path, params=body)
    else:
        response = await http.post(API + path, json=body)
    response.raise_for_status()
    answer: dict[str, Any] = response.json()
    return answer
