"""The restart loop on real child processes: backoff doubles, resets when stable, logs each."""

from __future__ import annotations

import subprocess
import sys

from llmops_cli.restarts import Backoff, ServiceRestarter


def test_backoff_doubles_to_its_ceiling_and_resets_after_a_stable_run() -> None:
    backoff = Backoff(first_s=0.5, max_s=10.0, stable_after_s=30.0)
    delays = [backoff.delay_after(uptime_s=1.0) for _ in range(7)]
    assert delays == [0.5, 1.0, 2.0, 4.0, 8.0, 10.0, 10.0]
    assert backoff.delay_after(uptime_s=30.0) == 0.5
    assert backoff.delay_after(uptime_s=1.0) == 1.0


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def exits_with(code: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen([sys.executable, "-c", f"raise SystemExit({code})"])
    process.wait()
    return process


def test_an_exited_service_is_restarted_after_its_delay_and_recorded() -> None:
    clock = FakeClock()
    lines: list[str] = []
    recorded: list[dict[str, int]] = []
    processes = {"dataset": exits_with(3)}
    restarter = ServiceRestarter(
        processes, lambda name: exits_with(4), recorded.append, lines.append, clock
    )
    first = processes["dataset"].pid
    restarter.check()
    assert lines == [f"dataset (pid {first}) exited with code 3; restarting in 0.5 s"]
    clock.now = 0.4
    restarter.check()
    assert processes["dataset"].pid == first, "restarted before its delay"
    clock.now = 0.5
    restarter.check()
    second = processes["dataset"].pid
    assert second != first
    assert recorded == [{"dataset": second}]
    assert lines[1] == f"dataset restarted (pid {second}, restart 1)"
    # It exits again at once: the next wait is twice as long.
    restarter.check()
    assert lines[2] == f"dataset (pid {second}) exited with code 4; restarting in 1.0 s"


def test_a_running_service_is_left_alone() -> None:
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        lines: list[str] = []
        restarter = ServiceRestarter({"dataset": process}, lambda n: process, print, lines.append)
        restarter.check()
        assert lines == []
    finally:
        process.kill()
        process.wait()


def test_a_service_that_cannot_be_started_is_tried_again_later() -> None:
    clock = FakeClock()
    lines: list[str] = []
    attempts: list[str] = []

    def start(name: str) -> subprocess.Popen[bytes]:
        attempts.append(name)
        if len(attempts) == 1:
            raise OSError("too many open files")
        return exits_with(0)

    processes = {"dataset": exits_with(1)}
    restarter = ServiceRestarter(processes, start, lambda pids: None, lines.append, clock)
    restarter.check()
    clock.now = 0.5
    restarter.check()
    assert lines[1] == "dataset could not be started (too many open files); retrying in 1.0 s"
    clock.now = 1.5
    restarter.check()
    assert attempts == ["dataset", "dataset"]
    assert lines[2].startswith("dataset restarted (pid ")
