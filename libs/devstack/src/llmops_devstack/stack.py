"""The local stack: a Kafka broker and a PostgreSQL server, wherever they come from."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from llmops_devstack.kafka.broker import start_broker
from llmops_devstack.kafka.cluster import start_cluster
from llmops_devstack.paths import cache_dir, llmops_home, state_file
from llmops_devstack.postgres import start_postgres
from llmops_devstack.processes import is_alive, terminate


@dataclass
class StackInfo:
    """What later commands need to find (and stop) a running stack."""

    bootstrap_servers: str
    database_url: str
    source: str  # "local", "external" or "testcontainers"
    kafka_pid: int | None = None
    postgres_data_dir: str | None = None
    supervisor_pid: int | None = None
    service_pids: dict[str, int] = field(default_factory=dict)
    # A local cluster (`--brokers N`, N > 1): each node's pid by node id; kafka_pid is node 1's.
    kafka_node_pids: dict[str, int] = field(default_factory=dict)


@dataclass
class RunningStack:
    """A started stack and how to stop it."""

    info: StackInfo
    _stoppers: list[Callable[[], None]] = field(default_factory=list)

    def stop(self) -> None:
        """Stop what this stack started, newest first."""
        while self._stoppers:
            self._stoppers.pop()()


def external_endpoints() -> StackInfo | None:
    """Endpoints given by `KAFKA_BOOTSTRAP_SERVERS` and `DATABASE_URL`, if both are set."""
    kafka = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    database = os.environ.get("DATABASE_URL")
    if kafka and database:
        return StackInfo(kafka, database, "external")
    return None


def _wants_containers() -> bool:
    if os.environ.get("LLMOPS_TESTCONTAINERS") != "1":
        return False
    from llmops_devstack.containers import docker_answers

    return docker_answers()


def start_stack(*, temporary: bool = False, brokers: int = 1) -> RunningStack:
    """Use external endpoints if set, else containers if asked for, else local processes
    (`brokers` Kafka nodes: one broker, or a KRaft cluster)."""
    external = external_endpoints()
    if external is not None:
        return RunningStack(external)
    if _wants_containers():
        from llmops_devstack.containers import start_containers

        containers = start_containers()
        info = StackInfo(containers.bootstrap_servers, containers.database_url, "testcontainers")
        return RunningStack(info, [containers.stop])
    return _start_local(temporary, brokers)


def _start_local(temporary: bool, brokers: int = 1) -> RunningStack:
    data = Path(tempfile.mkdtemp(prefix="llmops-stack-")) if temporary else llmops_home() / "data"
    stack = RunningStack(StackInfo("", "", "local"))
    if temporary:
        stack._stoppers.append(lambda: shutil.rmtree(data, ignore_errors=True))
    try:
        postgres = start_postgres(data / "postgres")
        stack._stoppers.append(postgres.stop)
        if brokers == 1:
            broker = start_broker(data / "kafka", cache_dir())
            stack._stoppers.append(broker.stop)
            bootstrap, first, pids = broker.bootstrap_servers, broker.pid, {}
        else:
            cluster = start_cluster(data / f"kafka-cluster-{brokers}", cache_dir(), nodes=brokers)
            stack._stoppers.append(cluster.stop)
            bootstrap, first, pids = cluster.bootstrap_servers, cluster.nodes[1].pid, cluster.pids
    except BaseException:
        stack.stop()
        raise
    stack.info = StackInfo(
        bootstrap, postgres.url, "local", first, str(postgres.data_dir), kafka_node_pids=pids
    )
    return stack


def save_state(info: StackInfo) -> None:
    """Record the running stack for `llmops dev status|down` and other commands."""
    # Written aside and renamed: a reader never sees half a file while the supervisor updates it.
    path = state_file()
    staged = path.with_name(f".{path.name}.{os.getpid()}")
    staged.write_text(json.dumps(asdict(info), indent=2))
    staged.replace(path)


def load_state() -> StackInfo | None:
    """The recorded stack, if any."""
    path = state_file()
    if not path.exists():
        return None
    return StackInfo(**json.loads(path.read_text()))


def clear_state() -> None:
    """Forget the recorded stack."""
    state_file().unlink(missing_ok=True)


def stop_recorded(info: StackInfo) -> None:
    """Stop a stack recorded by another process: services, the broker, then PostgreSQL."""
    if info.supervisor_pid and info.supervisor_pid != os.getpid():
        terminate(info.supervisor_pid, grace_s=60.0)
    for pid in info.service_pids.values():
        terminate(pid, grace_s=30.0)
    for pid in {*info.kafka_node_pids.values(), *([info.kafka_pid] if info.kafka_pid else [])}:
        terminate(pid, grace_s=30.0)
    if info.postgres_data_dir:
        data_dir = Path(info.postgres_data_dir)
        if (data_dir / "postmaster.pid").exists():
            from llmops_devstack.postgres import stop_postgres_dir

            stop_postgres_dir(data_dir)


def recorded_health(info: StackInfo) -> dict[str, bool]:
    """Whether each part of a recorded stack answers."""
    from llmops_devstack.ports import accepts_connections

    listeners = [server.rpartition(":") for server in info.bootstrap_servers.split(",")]
    answering = [accepts_connections(int(port), host or "127.0.0.1") for host, _, port in listeners]
    # A cluster is up while a majority of its nodes is: it still elects and serves.
    health = {"kafka": sum(answering) * 2 > len(answering)}
    db_port = info.database_url.rsplit(":", 1)[-1].split("/", 1)[0]
    health["postgres"] = db_port.isdigit() and accepts_connections(int(db_port))
    for name, pid in info.service_pids.items():
        health[name] = is_alive(pid)
    return health
