"""A whole stack as `llmops dev up --detach` runs it, in a temporary LLMOPS_HOME, and the checks
the crash tests share: every command answered once, its events exactly those its result names."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from llmops_runtime.commands.audit_events import AUDIT_WIRE_TYPE
from llmops_runtime.resend import Answered

REGISTER = "dataset.register_dataset_version"


def llmops(home: Path, *args: str, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    """Run the CLI against the stack recorded in `home` (never the caller's stack)."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("KAFKA_BOOTSTRAP_SERVERS", "DATABASE_URL")
    }
    env["LLMOPS_HOME"] = str(home)
    env["LLMOPS_GOVERNANCE_BOOTSTRAP_ADMINS"] = "loader"
    return subprocess.run(
        [sys.executable, "-m", "llmops_cli.main", *args],
        env=env, capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip


def state(home: Path) -> dict[str, Any]:
    """The stack's recorded state: endpoints and the pid of every service instance."""
    found: dict[str, Any] = json.loads((home / "stack.json").read_text())
    return found


def is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


async def wait_ready(port: int, within_s: float) -> bool:
    """Whether the instance on `port` answers /readyz 200 within the time."""
    deadline = time.monotonic() + within_s
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=1) as http:
        while time.monotonic() < deadline:
            try:
                if (await http.get("/readyz")).status_code == 200:
                    return True
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.1)
    return False


async def wait_restarted(home: Path, key: str, old_pid: int, within_s: float) -> int:
    """The instance's new pid, once the supervisor recorded a live one."""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        pid = int(state(home)["service_pids"][key])
        if pid != old_pid and is_alive(pid):
            return pid
        await asyncio.sleep(0.1)
    raise AssertionError(f"{key} was not restarted within {within_s} s")


def registration(index: int) -> dict[str, str]:
    return {
        "name": f"restart-{index}", "version": "1", "storage_uri": f"s3://d/{index}/",
        "owner_team": "data", "change_log": "load under a crash",
    }  # fmt: skip


async def every_version(http: httpx.AsyncClient) -> list[dict[str, object]]:
    """Every dataset version, walking the list's pages."""
    found: list[dict[str, object]] = []
    token: str | None = None
    while True:
        params = {"limit": "1000", **({"page_token": token} if token else {})}
        body = (await http.get("/dataset-versions", params=params)).json()
        found += body["items"]
        token = body["next_page_token"]
        if token is None:
            return found


async def assert_each_command_landed_once(
    database_url: str, outcomes: Sequence[Answered], extra_ids: Sequence[str] = ()
) -> None:
    """One event set per command id, exactly the events its (possibly stored) result names;
    a re-sent command's stored result is the one its sender got."""
    conn = await asyncpg.connect(database_url)
    try:
        events = await conn.fetch(
            "SELECT metadata->>'command_id' AS command_id, array_agg(event_id::text) AS ids,"
            " count(*) AS n FROM dataset.events WHERE wire_type <> $1 GROUP BY 1",
            AUDIT_WIRE_TYPE,  # the batches' command audit events belong to no one command
        )
        stored = await conn.fetch("SELECT command_id, result::text FROM dataset.command_results")
    finally:
        await conn.close()
    by_command = {row["command_id"]: row for row in events}
    expected = {o.result.command_id for o in outcomes} | set(extra_ids)
    assert set(by_command) == expected, "an event set is missing or extra"
    for outcome in outcomes:
        row = by_command[outcome.result.command_id]
        assert row["n"] == len(outcome.result.event_ids) >= 1
        assert sorted(row["ids"]) == sorted(outcome.result.event_ids)
    results = {row["command_id"]: json.loads(row["result"]) for row in stored}
    for outcome in outcomes:
        answer = outcome.result.model_dump(mode="json")
        kept = results[outcome.result.command_id]
        assert {k: answer[k] for k in kept} == kept


async def assert_read_model_equals_rebuild(
    home: Path, port: int, token: str, expected: int
) -> list[dict[str, object]]:
    """The dataset list holds `expected` versions and a rebuild of its projection changes
    nothing; the list."""
    reading = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{port}", timeout=30, headers=reading
    ) as http:
        deadline = time.monotonic() + 120
        while len(before := await every_version(http)) < expected:
            assert time.monotonic() < deadline, f"read model has {len(before)} of {expected}"
            await asyncio.sleep(0.5)
        rebuilt = await asyncio.to_thread(llmops, home, "projections", "rebuild", "dataset")
        assert rebuilt.returncode == 0, rebuilt.stderr
        after = await every_version(http)
    assert len(before) == expected
    assert after == before
    return after
