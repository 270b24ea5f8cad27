"""Running every installed service as a child process next to the stack."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from llmops_cli.services import installed_definitions
from llmops_devstack import StackInfo
from llmops_devstack.paths import llmops_home
from llmops_devstack.processes import terminate
from llmops_runtime.relay.checkpoints import dev_checkpoint_key

# Instance n > 0 of a service serves HTTP on its definition's port + n * REPLICA_PORT_STEP.
REPLICA_PORT_STEP = 100
MAX_REPLICAS = 9


@dataclass(frozen=True)
class Instance:
    """One process of a service: instance 0 is `<svc>`, the others `<svc>-<n>`."""

    service: str
    index: int = 0

    @property
    def key(self) -> str:
        """Its name in the stack's state and log files (service names have no '-')."""
        return self.service if self.index == 0 else f"{self.service}-{self.index}"

    @classmethod
    def of(cls, key: str) -> Instance:
        """The instance a key names."""
        service, _, index = key.partition("-")
        return cls(service, int(index or 0))


def instance_ports(replicas: int = 1) -> dict[str, int]:
    """Each instance's HTTP port, by instance key: `replicas` instances of every service."""
    if not 1 <= replicas <= MAX_REPLICAS:
        raise ValueError(f"replicas must be between 1 and {MAX_REPLICAS}, not {replicas}")
    return {
        Instance(name, n).key: port + n * REPLICA_PORT_STEP
        for name, port in service_ports().items()
        for n in range(replicas)
    }


def service_ports() -> dict[str, int]:
    """The HTTP port each installed service declares in its definition, by name."""
    ports = {name: d.http_port for name, d in sorted(installed_definitions().items())}
    unset = sorted(name for name, port in ports.items() if port <= 0)
    if unset:
        raise ValueError(f"services without an http_port in their definition: {unset}")
    return ports


BOOTSTRAP_ADMINS = "LLMOPS_GOVERNANCE_BOOTSTRAP_ADMINS"
# The README's actor; set LLMOPS_GOVERNANCE_BOOTSTRAP_ADMINS to name others.
LOCAL_ADMINS = "ana"


def stack_environment(
    info: StackInfo, service: str, port: int, database_url: str | None = None, index: int = 0
) -> dict[str, str]:
    """The environment that points a service instance at the stack, in local development mode."""
    return {
        **os.environ,
        "KAFKA_BOOTSTRAP_SERVERS": info.bootstrap_servers,
        # The service's own role (from `llmops db migrate`), not the owner.
        "DATABASE_URL": database_url or info.database_url,
        f"LLMOPS_{service.upper()}_HTTP_PORT": str(port),
        # Static membership per instance: a restarted process takes its partitions back.
        "LLMOPS_COMMANDS_GROUP_INSTANCE_ID": f"{service}-{index}",
        # Local only: services accept tokens signed with the git-ignored dev key.
        "LLMOPS_AUTH_DEV_MODE": "true",
        # The relay signs audit checkpoints with a key the database never holds.
        "LLMOPS_AUDIT_CHECKPOINT_KEY": local_checkpoint_key(),
        # Local only: the first admins, who grant everyone else their roles (governance).
        BOOTSTRAP_ADMINS: os.environ.get(BOOTSTRAP_ADMINS, LOCAL_ADMINS),
    }


def local_checkpoint_key() -> str:
    """`LLMOPS_AUDIT_CHECKPOINT_KEY` if set, else the stack's generated key in `$LLMOPS_HOME`."""
    return os.environ.get("LLMOPS_AUDIT_CHECKPOINT_KEY") or dev_checkpoint_key(
        llmops_home() / "audit-checkpoint-key"
    )


def start_services(
    info: StackInfo,
    log_dir: Path,
    database_urls: Mapping[str, str] | None = None,
    replicas: int = 1,
) -> dict[str, subprocess.Popen[bytes]]:
    """Start `replicas` processes per installed service, by instance key, each logging to its
    own file; the instances of a service share its role, consumer group and schema."""
    urls = database_urls or {}
    return {
        key: start_service(info, log_dir, key, port, urls.get(Instance.of(key).service))
        for key, port in instance_ports(replicas).items()
    }


def start_service(
    info: StackInfo, log_dir: Path, key: str, port: int, database_url: str | None = None
) -> subprocess.Popen[bytes]:
    """Start one service instance's process (as the service's role), appending to its log."""
    instance = Instance.of(key)
    log_dir.mkdir(parents=True, exist_ok=True)
    with (log_dir / f"{key}.log").open("ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "llmops_runtime.service.run", instance.service],
            env=stack_environment(info, instance.service, port, database_url, instance.index),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )


def stop_services(processes: dict[str, subprocess.Popen[bytes]]) -> None:
    """SIGTERM each service, SIGKILL after 30 s."""
    for process in processes.values():
        terminate(process.pid, grace_s=30.0)


def wait_until_ready(ports: dict[str, int], timeout_s: float = 60.0) -> dict[str, bool]:
    """Poll each service's /readyz until it answers 200 or the time is up."""
    deadline = time.monotonic() + timeout_s
    ready = dict.fromkeys(ports, False)
    while not all(ready.values()) and time.monotonic() < deadline:
        for name, port in ports.items():
            if not ready[name]:
                ready[name] = _answers_ready(port)
        time.sleep(0.2)
    return ready


def _answers_ready(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1) as response:
            return bool(response.status == 200)
    except OSError:
        return False
