"""`llmops dev up` brings a killed service back; clients re-send; every command lands once.

The whole stack runs detached in a temporary `LLMOPS_HOME`: its own broker, database and
service processes, exactly as `llmops dev up --detach` runs them for a developer.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from llmops_runtime.auth import dev_signing_key, issue_token
from llmops_runtime.auth.settings import DEV_ISSUER
from llmops_runtime.client import CommandClient
from llmops_runtime.commands.audit_events import AUDIT_WIRE_TYPE
from llmops_runtime.resend import Answered, send_until_answered

pytestmark = pytest.mark.stack

COMMANDS = 1_000
KILL_AFTER_ANSWERS = 150
REGISTER = "dataset.register_dataset_version"


def llmops(home: Path, *args: str, timeout: float = 240) -> subprocess.CompletedProcess[str]:
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
    found: dict[str, Any] = json.loads((home / "stack.json").read_text())
    return found


def is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def dev_stack(tmp_path: Path) -> Iterator[Path]:
    started = llmops(tmp_path, "dev", "up", "--detach")
    assert started.returncode == 0, started.stderr + started.stdout
    try:
        yield tmp_path
    finally:
        llmops(tmp_path, "dev", "down")


def dataset_port() -> int:
    """The dataset service's HTTP port, as `dev up` assigns it."""
    from llmops_cli.supervisor import service_ports

    return service_ports()["dataset"]


async def wait_ready(port: int, within_s: float) -> bool:
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


async def wait_restarted(home: Path, old_pid: int, within_s: float) -> int:
    """The dataset service's new pid, once the supervisor recorded a live one."""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        pid = int(state(home)["service_pids"]["dataset"])
        if pid != old_pid and is_alive(pid):
            return pid
        await asyncio.sleep(0.1)
    raise AssertionError(f"dataset was not restarted within {within_s} s")


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


def registration(index: int) -> dict[str, str]:
    return {
        "name": f"restart-{index}", "version": "1", "storage_uri": f"s3://d/{index}/",
        "owner_team": "data", "change_log": "load under a crash",
    }  # fmt: skip


@pytest.mark.timeout(600)
async def test_a_killed_service_is_back_and_every_command_is_answered_once(
    dev_stack: Path,
) -> None:
    home = dev_stack
    info = state(home)
    port = dataset_port()
    assert await wait_ready(port, 60), "dataset never became ready"
    token = issue_token("loader", dev_signing_key(home / "dev-signing-key"), DEV_ISSUER)
    ids = [str(uuid.uuid4()) for _ in range(COMMANDS)]
    answered = 0
    first_answers = asyncio.Event()

    async def one(client: CommandClient, index: int) -> Answered:
        nonlocal answered
        outcome = await send_until_answered(
            client, "dataset", REGISTER, registration(index),
            command_id=ids[index], attempt_timeout_s=5, attempts=20,
        )  # fmt: skip
        answered += 1
        if answered >= KILL_AFTER_ANSWERS:
            first_answers.set()
        return outcome

    async with CommandClient(info["bootstrap_servers"], actor_token=token) as client:
        load = asyncio.gather(*(one(client, i) for i in range(COMMANDS)))
        await asyncio.wait_for(first_answers.wait(), 120)
        victim = int(state(home)["service_pids"]["dataset"])
        os.kill(victim, signal.SIGKILL)
        killed_at = time.monotonic()
        assert answered < COMMANDS, "the load finished before the kill: nothing was tested"
        new_pid = await wait_restarted(home, victim, within_s=5)
        restarted_in = time.monotonic() - killed_at
        assert restarted_in < 5, f"restarted after {restarted_in:.1f} s"
        # Static group membership: the new process takes the partitions back without waiting
        # for the killed member's session to time out, so it serves within the same 5 s.
        probe = asyncio.ensure_future(
            client.send("dataset", REGISTER, registration(COMMANDS), key="probe", timeout=5)
        )
        assert await wait_ready(port, 5 - (time.monotonic() - killed_at)), "not ready in 5 s"
        probed = await probe
        serving_in = time.monotonic() - killed_at
        assert probed.accepted, probed
        assert serving_in < 5 + 0.5, f"answering again only {serving_in:.1f} s after the kill"
        outcomes = await asyncio.wait_for(load, 300)

    assert [o.result.status for o in outcomes] == ["accepted"] * COMMANDS
    assert [o.result.command_id for o in outcomes] == ids
    # Commands that timed out across the crash were re-sent under their ids; with the fast
    # restart there may be none, so a sample is re-sent too: each gets its stored answer.
    resent = [i for i, o in enumerate(outcomes) if o.resent]
    async with CommandClient(info["bootstrap_servers"], actor_token=token) as client:
        for index in range(0, COMMANDS, 20):
            again = await send_until_answered(
                client, "dataset", REGISTER, registration(index),
                command_id=ids[index], attempt_timeout_s=5, attempts=3,
            )  # fmt: skip
            assert again.result == outcomes[index].result
            resent.append(index)
    log = (home / "stack.log").read_text()
    assert f"dataset (pid {victim}) exited with code -9; restarting in 0.5 s" in log
    assert f"dataset restarted (pid {new_pid}, restart 1)" in log
    status = llmops(home, "dev", "status")
    assert status.returncode == 0, status.stdout
    assert "dataset: up" in status.stdout

    conn = await asyncpg.connect(info["database_url"])
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
    assert set(by_command) == {*ids, probed.command_id}, "an event set is missing or extra"
    for outcome in outcomes:
        row = by_command[outcome.result.command_id]
        # One set per command: its events are exactly those the (possibly stored) result names.
        assert row["n"] == len(outcome.result.event_ids) >= 1
        assert sorted(row["ids"]) == sorted(outcome.result.event_ids)
    results = {row["command_id"]: json.loads(row["result"]) for row in stored}
    for index in resent:
        answer = outcomes[index].result.model_dump(mode="json")
        assert {k: answer[k] for k in results[ids[index]]} == results[ids[index]]

    reading = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{port}", timeout=30, headers=reading
    ) as http:
        deadline = time.monotonic() + 120
        while len(before := await every_version(http)) < COMMANDS + 1:
            assert time.monotonic() < deadline, f"read model has {len(before)} of {COMMANDS}"
            await asyncio.sleep(0.5)
        rebuilt = await asyncio.to_thread(llmops, home, "projections", "rebuild", "dataset")
        assert rebuilt.returncode == 0, rebuilt.stderr
        after = await every_version(http)
    assert len(before) == COMMANDS + 1
    assert after == before
