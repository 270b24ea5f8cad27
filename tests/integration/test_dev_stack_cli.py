"""`llmops dev up --detach`, then `status` and `down` from other processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.stack


def llmops(home: Path, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("KAFKA_BOOTSTRAP_SERVERS", "DATABASE_URL")
    }
    env["LLMOPS_HOME"] = str(home)
    return subprocess.run(
        [sys.executable, "-m", "llmops_cli.main", *args],
        env=env, capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip


def test_a_detached_stack_is_seen_and_stopped_from_other_processes(tmp_path: Path) -> None:
    started = llmops(tmp_path, "dev", "up", "--detach", "--no-services")
    assert started.returncode == 0, started.stderr + started.stdout
    assert "KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:" in started.stdout
    assert "DATABASE_URL=postgresql://" in started.stdout
    try:
        status = llmops(tmp_path, "dev", "status")
        assert status.returncode == 0, status.stdout
        assert "kafka: up" in status.stdout
        assert "postgres: up" in status.stdout
    finally:
        stopped = llmops(tmp_path, "dev", "down")
    assert stopped.returncode == 0
    after = llmops(tmp_path, "dev", "status")
    assert after.returncode == 1
    assert "no stack recorded" in after.stdout


def test_a_stopped_stack_starts_again_on_its_data(tmp_path: Path) -> None:
    for _ in range(2):
        started = llmops(tmp_path, "dev", "up", "--detach", "--no-services")
        assert started.returncode == 0, started.stderr + started.stdout
        status = llmops(tmp_path, "dev", "status")
        stopped = llmops(tmp_path, "dev", "down")
        assert status.returncode == 0, status.stdout
        assert stopped.returncode == 0


def test_status_without_a_stack_says_so_and_fails(tmp_path: Path) -> None:
    result = llmops(tmp_path, "dev", "status")
    assert result.returncode == 1
    assert "no stack recorded" in result.stdout
