"""Keeping the stack's service processes running: a service that exits is started again."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field

FIRST_DELAY_S = 0.5
MAX_DELAY_S = 10.0
# A process that stayed up this long was healthy: its next crash starts the backoff afresh.
STABLE_AFTER_S = 30.0
POLL_INTERVAL_S = 0.2


@dataclass
class Backoff:
    """Delays between restarts of one service: doubling up to a ceiling, reset once stable."""

    first_s: float = FIRST_DELAY_S
    max_s: float = MAX_DELAY_S
    stable_after_s: float = STABLE_AFTER_S
    _next_s: float = 0.0

    def delay_after(self, uptime_s: float) -> float:
        """The wait before restarting a process that exited after `uptime_s` seconds up."""
        if self._next_s == 0.0 or uptime_s >= self.stable_after_s:
            self._next_s = self.first_s
        delay = self._next_s
        self._next_s = min(self._next_s * 2, self.max_s)
        return delay


@dataclass
class _Watched:
    started_at: float
    backoff: Backoff = field(default_factory=Backoff)
    restart_at: float | None = None
    restarts: int = 0


class ServiceRestarter:
    """Watches service processes and restarts those that exit, with backoff, logging each.

    `processes` is updated in place, so whoever stops the services stops the current ones;
    `on_restart` receives the new pids (the caller records them in the stack's state).
    """

    def __init__(
        self,
        processes: dict[str, subprocess.Popen[bytes]],
        start: Callable[[str], subprocess.Popen[bytes]],
        on_restart: Callable[[dict[str, int]], None],
        log: Callable[[str], None],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.processes = processes
        self._start = start
        self._on_restart = on_restart
        self._log = log
        self._clock = clock
        now = clock()
        self._watched = {name: _Watched(started_at=now) for name in processes}

    def check(self) -> None:
        """Schedule a restart for each newly exited service; restart those whose wait is over."""
        now = self._clock()
        restarted = False
        for name, watched in self._watched.items():
            process = self.processes[name]
            if watched.restart_at is None:
                code = process.poll()
                if code is None:
                    continue
                delay = watched.backoff.delay_after(now - watched.started_at)
                watched.restart_at = now + delay
                self._log(f"{name} (pid {process.pid}) exited with code {code}; "
                          f"restarting in {delay:.1f} s")  # fmt: skip
            if watched.restart_at is not None and now >= watched.restart_at:
                try:
                    self.processes[name] = self._start(name)
                except OSError as error:  # e.g. out of file handles: try again, later
                    delay = watched.backoff.delay_after(0.0)
                    watched.restart_at = now + delay
                    self._log(f"{name} could not be started ({error}); retrying in {delay:.1f} s")
                    continue
                watched.started_at, watched.restart_at = self._clock(), None
                watched.restarts += 1
                self._log(f"{name} restarted (pid {self.processes[name].pid}, "
                          f"restart {watched.restarts})")  # fmt: skip
                restarted = True
        if restarted:
            self._on_restart({name: p.pid for name, p in self.processes.items()})

    def run_forever(self) -> None:
        """Check every 0.2 s until interrupted (Ctrl-C or SIGTERM raise KeyboardInterrupt)."""
        while True:
            self.check()
            time.sleep(POLL_INTERVAL_S)
