"""Starting and stopping a real Apache Kafka broker (KRaft) from its jars."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from llmops_devstack.java import find_java
from llmops_devstack.kafka.config import (
    SCRAM_MECHANISM,
    BrokerLayout,
    BrokerSecurity,
    write_config,
)
from llmops_devstack.kafka.jars import ensure_kafka_jars
from llmops_devstack.ports import accepts_connections, free_port, wait_for_listener
from llmops_devstack.processes import terminate

READY_TIMEOUT_S = 90.0
_IDENTITY_FILE = "ports.json"


class KafkaStartError(RuntimeError):
    """The broker did not become ready; the message carries the tail of its log."""


@dataclass(frozen=True)
class RunningBroker:
    """A started broker process."""

    pid: int
    bootstrap_servers: str
    log_file: Path

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after 30 s."""
        terminate(self.pid, grace_s=30.0)


def _layout(directory: Path) -> tuple[BrokerLayout, str]:
    """Reuse the ports and cluster id a persistent broker was formatted with, else pick new."""
    identity_file = directory / _IDENTITY_FILE
    if identity_file.exists():
        known = json.loads(identity_file.read_text())
        layout = BrokerLayout(directory, known["port"], known["controller_port"])
        # Folders written before the cluster id was kept: format anew with a fresh id.
        return layout, str(known.get("cluster_id") or new_cluster_id())
    layout = BrokerLayout(directory, free_port(), free_port())
    cluster_id = new_cluster_id()
    directory.mkdir(parents=True, exist_ok=True)
    identity_file.write_text(
        json.dumps(
            {
                "port": layout.port,
                "controller_port": layout.controller_port,
                "cluster_id": cluster_id,
            }
        )
    )
    return layout, cluster_id


def new_cluster_id() -> str:
    """A fresh KRaft cluster id."""
    # base64url of 16 random bytes without padding; a leading '-' would read as a flag.
    raw = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
    return "K" + raw[1:] if raw.startswith("-") else raw


def _java_command(java: str, jars: Path, layout: BrokerLayout, main: str) -> list[str]:
    return [
        java,
        f"-Dlog4j2.configurationFile={layout.log4j_file}",
        "-cp",
        f"{jars}/*",
        main,
    ]


def format_storage(
    java: str,
    jars: Path,
    layout: BrokerLayout,
    cluster_id: str,
    users: Mapping[str, str] | None = None,
    *,
    standalone: bool = True,
) -> None:
    """Format the node's log dir once (a single node forms its own dynamic quorum)."""
    command = [
        *_java_command(java, jars, layout, "kafka.tools.StorageTool"),
        "format", *(["--standalone"] if standalone else []), "-t", cluster_id,
        "-c", str(layout.properties_file), "--ignore-formatted",
    ]  # fmt: skip
    for user, password in (users or {}).items():
        # SCRAM credentials bootstrapped into the KRaft metadata at format time.
        command += ["--add-scram", f"{SCRAM_MECHANISM}=[name={user},password={password}]"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise KafkaStartError(f"formatting Kafka storage failed:\n{result.stderr[-4000:]}")


def _log_tail(path: Path, lines: int = 40) -> str:
    if not path.exists():
        return "(no broker log)"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def start_broker(
    directory: Path,
    cache: Path,
    *,
    heap: str = "1g",
    security: BrokerSecurity | None = None,
    users: Mapping[str, str] | None = None,
) -> RunningBroker:
    """Start a broker whose config and data live in `directory`; return once it is ready.

    With `security`, the client listener takes SASL/SCRAM-SHA-512 and ACLs are enforced;
    `users` (name -> password, the admin included) are the SCRAM credentials created when the
    storage is first formatted.
    """
    layout, cluster_id = _layout(directory)
    if accepts_connections(layout.port):
        raise KafkaStartError(f"port {layout.port} of the broker in {directory} is taken")
    jars = ensure_kafka_jars(cache)
    java = find_java()
    write_config(layout, security=security)
    credentials = dict(users or {})
    if security is not None:
        credentials[security.admin_user] = security.admin_password
    format_storage(java, jars, layout, cluster_id, credentials)
    return wait_until_serving(layout, launch(java, jars, layout, heap))


def launch(java: str, jars: Path, layout: BrokerLayout, heap: str) -> subprocess.Popen[bytes]:
    """Start the node's JVM on its written configuration."""
    command = _java_command(java, jars, layout, "kafka.Kafka")
    command[1:1] = ["-Xms256m", f"-Xmx{heap}", "-XX:+UseG1GC"]
    command.append(str(layout.properties_file))
    with layout.log_file.open("ab") as log:
        # Its own session: Ctrl-C in a terminal reaches the supervisor, which stops it in order.
        return subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True, env={**os.environ},
        )  # fmt: skip


def wait_until_serving(layout: BrokerLayout, process: subprocess.Popen[bytes]) -> RunningBroker:
    """The started node once its client listener accepts connections; else KafkaStartError."""
    # In Kafka 4.x the plaintext listener opens last, once the broker is unfenced.
    if not wait_for_listener(layout.port, process, READY_TIMEOUT_S):
        terminate(process.pid, grace_s=5.0)
        raise KafkaStartError(
            f"Kafka did not accept connections on {layout.bootstrap_servers} within "
            f"{READY_TIMEOUT_S:.0f} s (exit code {process.poll()}). Broker log tail:\n"
            f"{_log_tail(layout.log_file)}"
        )
    return RunningBroker(process.pid, layout.bootstrap_servers, layout.log_file)
