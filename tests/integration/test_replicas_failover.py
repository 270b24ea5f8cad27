"""Two instances of every service share its partitions; one killed mid-load loses nothing.

`llmops dev up --replicas 2` runs two processes of each service in one consumer group, in a
temporary LLMOPS_HOME. 2,000 commands go to the dataset service; once 300 are answered, the
instance leading its outbox relay is killed with SIGKILL. The survivor keeps answering its own
partitions and takes the relay over (a PostgreSQL advisory lock freed with the dead session);
the supervisor restarts the victim, which takes its partitions back under its static member
id. Every command is answered once (re-sent under its id after a timeout), its events are
exactly those its result names, and the read model equals a rebuild. The failover figures are
written to test-artifacts/replicas-failover.json.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from llmops_cli.supervisor import instance_ports
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

COMMANDS = 2_000
KILL_AFTER_ANSWERS = 300
INSTANCES = ("dataset", "dataset-1")
RELAY_ROLE = "llmops-relay:dataset:llmops.dataset.events"
ARTIFACT = Path(__file__).resolve().parents[2] / "test-artifacts" / "replicas-failover.json"


@pytest.fixture
def two_instance_stack(tmp_path: Path) -> Iterator[Path]:
    started = llmops(tmp_path, "dev", "up", "--detach", "--replicas", "2", timeout=300)
    assert started.returncode == 0, started.stderr + started.stdout
    try:
        yield tmp_path
    finally:
        llmops(tmp_path, "dev", "down")


async def leads(port: int, role: str) -> bool:
    """Whether the instance on `port` reports holding `role` on its /metrics."""
    try:
        async with httpx.AsyncClient(timeout=2) as http:
            text = (await http.get(f"http://127.0.0.1:{port}/metrics")).text
    except httpx.HTTPError:
        return False
    pattern = rf'^llmops_leading{{role="{re.escape(role)}"}} 1\.0$'
    return re.search(pattern, text, flags=re.MULTILINE) is not None


async def leader_of(ports: dict[str, int], role: str, within_s: float) -> str:
    """The instance key that leads `role`, once one does."""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        for key, port in ports.items():
            if await leads(port, role):
                return key
        await asyncio.sleep(0.05)
    raise AssertionError(f"no instance leads {role} within {within_s} s")


@pytest.mark.timeout(900)
async def test_two_instances_share_the_load_and_one_killed_mid_load_loses_nothing(
    two_instance_stack: Path,
) -> None:
    home = two_instance_stack
    info = state(home)
    ports = {key: instance_ports(2)[key] for key in INSTANCES}
    for key, port in ports.items():
        assert await wait_ready(port, 120), f"{key} never became ready"
    pids = {key: int(info["service_pids"][key]) for key in INSTANCES}
    assert len(set(pids.values())) == 2, pids
    assert await leader_of(ports, RELAY_ROLE, 30) in INSTANCES
    token = issue_token("loader", dev_signing_key(home / "dev-signing-key"), DEV_ISSUER)
    ids = [str(uuid.uuid4()) for _ in range(COMMANDS)]
    answered_at: list[float] = []
    first_answers = asyncio.Event()

    async def one(client: CommandClient, index: int) -> Answered:
        outcome = await send_until_answered(
            client, "dataset", REGISTER, registration(index),
            command_id=ids[index], attempt_timeout_s=5, attempts=30,
        )  # fmt: skip
        answered_at.append(time.monotonic())
        if len(answered_at) >= KILL_AFTER_ANSWERS:
            first_answers.set()
        return outcome

    async with CommandClient(info["bootstrap_servers"], actor_token=token) as client:
        load = asyncio.gather(*(one(client, i) for i in range(COMMANDS)))
        await asyncio.wait_for(first_answers.wait(), 180)
        victim = await leader_of(ports, RELAY_ROLE, 5)
        survivor = next(key for key in INSTANCES if key != victim)
        os.kill(pids[victim], signal.SIGKILL)
        killed_at = time.monotonic()
        answered_before_kill = len(answered_at)
        assert answered_before_kill < COMMANDS, "the load finished before the kill"
        new_leader = await leader_of(ports, RELAY_ROLE, 60)
        relay_failover_s = time.monotonic() - killed_at
        new_pid = await wait_restarted(home, victim, pids[victim], within_s=30)
        assert await wait_ready(ports[victim], 120), f"restarted {victim} never became ready"
        victim_ready_s = time.monotonic() - killed_at
        outcomes = await asyncio.wait_for(load, 600)
        all_answered_s = time.monotonic() - killed_at

    assert [o.result.status for o in outcomes] == ["accepted"] * COMMANDS
    assert [o.result.command_id for o in outcomes] == ids
    after_kill = sorted(t for t in answered_at if t >= killed_at)
    gaps = [b - a for a, b in zip([killed_at, *after_kill], after_kill, strict=False)]
    # The survivor's partitions never stopped: commands were answered before the victim was
    # back, so the pause of the whole service is bounded by the survivor, not the restart.
    answered_while_down = sum(1 for t in after_kill if t < killed_at + victim_ready_s)
    assert answered_while_down > 0, "no command was answered while the victim was down"
    figures = {
        "commands": COMMANDS, "killed": victim, "killed_after_answers": answered_before_kill,
        "relay_leader_after": new_leader, "relay_failover_s": round(relay_failover_s, 3),
        "victim_restarted_ready_s": round(victim_ready_s, 3),
        "longest_answer_pause_s": round(max(gaps, default=0.0), 3),
        "answered_while_victim_down": answered_while_down,
        "resent_commands": sum(1 for o in outcomes if o.resent),
        "all_answered_after_kill_s": round(all_answered_s, 3),
    }  # fmt: skip
    ARTIFACT.parent.mkdir(exist_ok=True)
    ARTIFACT.write_text(json.dumps(figures, indent=2) + "\n")
    print("replicas failover:", json.dumps(figures))
    log = (home / "stack.log").read_text()
    assert f"{victim} (pid {pids[victim]}) exited with code -9" in log
    assert f"{victim} restarted (pid {new_pid}, restart 1)" in log
    assert int(state(home)["service_pids"][survivor]) == pids[survivor], "survivor restarted"

    await assert_each_command_landed_once(info["database_url"], outcomes)
    await assert_read_model_equals_rebuild(home, ports[survivor], token, COMMANDS)
