"""Running every installed service as a child process next to the stack."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

from llmops_devstack import StackInfo
from llmops_devstack.processes import terminate

SERVICE_GROUP = "llmops.services"


def installed_services() -> dict[str, str]:
    """Service name -> the module that runs it, from the `llmops.services` entry points."""
    return {ep.name: ep.value for ep in entry_points(group=SERVICE_GROUP)}


def stack_environment(info: StackInfo) -> dict[str, str]:
    """The environment that points a service at the stack."""
    return {
        **os.environ,
        "KAFKA_BOOTSTRAP_SERVERS": info.bootstrap_servers,
        "DATABASE_URL": info.database_url,
    }


def start_services(info: StackInfo, log_dir: Path) -> dict[str, subprocess.Popen[bytes]]:
    """Start one process per installed service, each logging to its own file."""
    log_dir.mkdir(parents=True, exist_ok=True)
    processes: dict[str, subprocess.Popen[bytes]] = {}
    for name, module in sorted(installed_services().items()):
        with (log_dir / f"{name}.log").open("ab") as log:
            processes[name] = subprocess.Popen(
                [sys.executable, "-m", module],
                env=stack_environment(info),
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
    return processes


def stop_services(processes: dict[str, subprocess.Popen[bytes]]) -> None:
    """SIGTERM each service, SIGKILL after 30 s."""
    for process in processes.values():
        terminate(process.pid, grace_s=30.0)
