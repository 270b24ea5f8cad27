"""`llmops dev up` brings a killed service back; clients re-send; every command lands once.

The whole stack runs detached in a temporary `LLMOPS_HOME`: its own broker, database and
service processes, exactly as `llmops dev up --detach` runs them for a developer.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from llmops_runtime.auth import dev_signing_key, issue_token
from llmops_runtime.auth.settings import DEV_ISSUER
from llmops_runtime.client import CommandClient
from llmops_runtime.resend import Answered, send_until_answered
from tests.integration.dev_stack import (
    REGISTER,
    assert_each_command_landed_once,
    assert_read_model_equals_rebuild,
    llmops,
    registration,
    state,
    wait_ready,
    wait_restarted,
)

pytestmark = pytest.mark.stack

COMMANDS = 1_000
KILL_AFTER_ANSWERS = 150


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
        new_pid = await wait_restarted(home, "dataset", victim, within_s=5)
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
    async with CommandClient(info["bootstrap_servers"], actor_token=token) as client:
        for index in range(0, COMMANDS, 20):
            again = await send_until_answered(
                client, "dataset", REGISTER, registration(index),
                command_id=ids[index], attempt_timeout_s=5, attempts=3,
            )  # fmt: skip
            assert again.result == outcomes[index].result
    log = (home / "stack.log").read_text()
    assert f"dataset (pid {victim}) exited with code -9; restarting in 0.5 s" in log
    assert f"dataset restarted (pid {new_pid}, restart 1)" in log
    status = llmops(home, "dev", "status")
    assert status.returncode == 0, status.stdout
    assert "dataset: up" in status.stdout

    assert probed.command_id is not None
    await assert_each_command_landed_once(info["database_url"], outcomes, [probed.command_id])
    await assert_read_model_equals_rebuild(home, port, token, COMMANDS + 1)
