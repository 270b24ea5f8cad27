"""`llmops dev`: start, inspect and stop the local stack."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer

from llmops_cli.compose import render_compose
from llmops_cli.db import dev_passwords, migrate_all
from llmops_cli.import_contracts import installed_config
from llmops_cli.k8s import render_k8s
from llmops_cli.new_service import (
    NewServiceRefused,
    new_service,
    tidy,
    write_schema_snapshots,
)
from llmops_cli.restarts import ServiceRestarter
from llmops_cli.services import installed_definitions
from llmops_cli.supervisor import (
    MAX_REPLICAS,
    Instance,
    instance_ports,
    service_ports,
    start_service,
    start_services,
    stop_services,
    wait_until_ready,
)
from llmops_devstack import (
    StackInfo,
    clear_state,
    load_state,
    save_state,
    start_stack,
    stop_recorded,
)
from llmops_devstack.paths import llmops_home, state_file
from llmops_devstack.stack import recorded_health

app = typer.Typer(
    help="The local stack: Kafka, PostgreSQL and every service.", no_args_is_help=True
)

DETACH_TIMEOUT_S = 150.0
MAX_BROKERS = 5


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


@app.command()
def up(
    detach: Annotated[bool, typer.Option(help="Return once ready; leave it running.")] = False,
    services: Annotated[bool, typer.Option(help="Also start every installed service.")] = True,
    replicas: Annotated[
        int,
        typer.Option(
            min=1,
            max=MAX_REPLICAS,
            help="Processes per service, in one consumer group; instance n serves HTTP on the "
            "service's port + 100 n.",
        ),
    ] = 1,
    brokers: Annotated[
        int,
        typer.Option(
            min=1,
            max=MAX_BROKERS,
            help="Kafka nodes: 1, or a KRaft cluster whose topics are replicated 3 times "
            "(min.insync.replicas 2).",
        ),
    ] = 1,
) -> None:
    """Start Kafka, PostgreSQL and the services; Ctrl-C stops all of it."""
    running = load_state()
    if running is not None and all(recorded_health(running).values()):
        typer.echo(f"already running: kafka {running.bootstrap_servers}, db {running.database_url}")
        raise typer.Exit(0)
    clear_state()
    if detach:
        _detach(services, replicas, brokers)
        return
    _foreground(services, replicas, brokers)


def _foreground(with_services: bool, replicas: int = 1, brokers: int = 1) -> None:
    # Explicitly: a process started in the background inherits SIGINT ignored.
    signal.signal(signal.SIGINT, _raise_interrupt)
    signal.signal(signal.SIGTERM, _raise_interrupt)
    started = time.monotonic()
    stack = start_stack(brokers=brokers)
    processes: dict[str, subprocess.Popen[bytes]] = {}
    urls: dict[str, str] = {}
    try:
        stack.info.supervisor_pid = os.getpid()
        if with_services:
            # The owner migrates; each service then runs as its own role, without DDL rights.
            installed = sorted(installed_definitions())
            urls = migrate_all(stack.info.database_url, installed, dev_passwords(installed))
            processes = start_services(stack.info, llmops_home() / "logs", urls, replicas)
            stack.info.service_pids = {name: p.pid for name, p in processes.items()}
        ports = {key: port for key, port in instance_ports(replicas).items() if key in processes}
        not_ready = [name for name, ok in wait_until_ready(ports).items() if not ok]
        if not_ready:
            typer.echo(f"not ready after 60 s: {', '.join(not_ready)}; see their logs", err=True)
        save_state(stack.info)
        typer.echo(f"KAFKA_BOOTSTRAP_SERVERS={stack.info.bootstrap_servers}")
        typer.echo(f"DATABASE_URL={stack.info.database_url}")
        names = ", ".join(f"{n} http://127.0.0.1:{p}" for n, p in ports.items()) or "none"
        elapsed = time.monotonic() - started
        typer.echo(f"ready in {elapsed:.1f} s; services: {names}; Ctrl-C stops it all", err=True)
        _supervise(stack.info, processes, ports, urls)
    except KeyboardInterrupt:
        typer.echo("stopping ...", err=True)
    finally:
        stop_services(processes)
        stack.stop()
        clear_state()


def _supervise(
    info: StackInfo,
    processes: dict[str, subprocess.Popen[bytes]],
    ports: dict[str, int],
    urls: dict[str, str],
) -> None:
    """Until interrupted: restart each service that exits, recording its new pid in the state."""
    log_dir = llmops_home() / "logs"

    def record(pids: dict[str, int]) -> None:
        info.service_pids = pids
        save_state(info)

    def log(line: str) -> None:
        typer.echo(f"{datetime.now(UTC):%Y-%m-%dT%H:%M:%SZ} {line}", err=True)

    def start(key: str) -> subprocess.Popen[bytes]:
        return start_service(info, log_dir, key, ports[key], urls.get(Instance.of(key).service))

    ServiceRestarter(processes, start, record, log).run_forever()


def _detach(with_services: bool, replicas: int = 1, brokers: int = 1) -> None:
    """Run the foreground supervisor as a background process; wait for its state file."""
    log = (llmops_home() / "stack.log").open("ab")
    command = [sys.executable, "-m", "llmops_cli.main", "dev", "up", f"--replicas={replicas}",
               f"--brokers={brokers}"]  # fmt: skip
    if not with_services:
        command.append("--no-services")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
    deadline = time.monotonic() + DETACH_TIMEOUT_S
    while time.monotonic() < deadline:
        info = load_state()
        if info is not None and info.supervisor_pid == process.pid:
            typer.echo(f"KAFKA_BOOTSTRAP_SERVERS={info.bootstrap_servers}")
            typer.echo(f"DATABASE_URL={info.database_url}")
            return
        if process.poll() is not None:
            typer.echo(f"the stack did not start; see {llmops_home() / 'stack.log'}", err=True)
            raise typer.Exit(1)
        time.sleep(0.2)
    typer.echo("the stack was not ready in time", err=True)
    raise typer.Exit(1)


@app.command()
def status() -> None:
    """Show the running stack and whether each part answers."""
    info = load_state()
    if info is None:
        typer.echo(f"no stack recorded in {state_file()}")
        raise typer.Exit(1)
    typer.echo(f"source: {info.source}")
    typer.echo(f"KAFKA_BOOTSTRAP_SERVERS={info.bootstrap_servers}")
    typer.echo(f"DATABASE_URL={info.database_url}")
    health = recorded_health(info)
    for part, ok in health.items():
        typer.echo(f"{part}: {'up' if ok else 'DOWN'}")
    if not all(health.values()):
        raise typer.Exit(1)


@app.command()
def down() -> None:
    """Stop the running stack and its services."""
    info = load_state()
    if info is None:
        typer.echo("no stack is running")
        return
    stop_recorded(info)
    clear_state()
    typer.echo("stopped")


@app.command()
def fetch() -> None:
    """Fetch the Kafka broker's jars from Maven Central into the cache (once)."""
    from llmops_devstack.kafka.jars import ensure_kafka_jars
    from llmops_devstack.paths import cache_dir

    typer.echo(f"Kafka jars: {ensure_kafka_jars(cache_dir())}")


@app.command("import-contracts")
def import_contracts() -> None:
    """Print the import-linter config over every installed service (for `lint-imports --config`)."""
    typer.echo(installed_config(), nl=False)


@app.command("new-service")
def new_service_command(
    name: Annotated[str, typer.Argument(help="Lowercase letters and digits, e.g. ledger.")],
    http_port: Annotated[
        int | None, typer.Option(help="Its fixed HTTP port (default: above every installed one).")
    ] = None,
    root: Annotated[Path, typer.Option(help="The workspace checkout.")] = Path("."),
) -> None:
    """Render a working service into services/NAME and its contracts into llmops_events.NAME."""
    port = http_port or max([8108, *service_ports().values()]) + 1
    try:
        written = new_service(root.resolve(), name, port)
    except NewServiceRefused as refused:
        typer.echo(str(refused), err=True)
        raise typer.Exit(2) from refused
    tidy(root.resolve(), written)
    write_schema_snapshots(root.resolve())
    for path in written:
        typer.echo(str(path.relative_to(root.resolve())))
    typer.echo(
        "then: uv lock && make setup && llmops dev compose && llmops dev k8s"
        f" (service {name} on port {port})"
    )


@app.command()
def compose(
    check: Annotated[
        bool, typer.Option(help="Only compare: exit 1 if the file differs from its rendering.")
    ] = False,
    path: Annotated[Path, typer.Option(help="The compose file.")] = Path("docker-compose.yml"),
) -> None:
    """Write docker-compose.yml from the installed service definitions (or --check it)."""
    rendered = render_compose(installed_definitions())
    if not check:
        path.write_text(rendered)
        return
    if not path.exists() or path.read_text() != rendered:
        typer.echo(f"{path} is not what `llmops dev compose` renders: run it", err=True)
        raise typer.Exit(1)


@app.command()
def k8s(
    check: Annotated[
        bool, typer.Option(help="Only compare: exit 1 if a file differs from its rendering.")
    ] = False,
    directory: Annotated[Path, typer.Option(help="The generated manifests' folder.")] = Path(
        "deploy/k8s/base/generated"
    ),
) -> None:
    """Write the per-service Kubernetes manifests from the installed definitions (or --check)."""
    rendered = render_k8s(installed_definitions())
    if check:
        present = {p.name for p in directory.glob("*.yaml")} if directory.exists() else set()
        stale = [
            n
            for n, t in rendered.items()
            if not (directory / n).exists() or (directory / n).read_text() != t
        ]
        if stale or present != set(rendered):
            typer.echo(f"{directory} is not what `llmops dev k8s` renders: run it", err=True)
            raise typer.Exit(1)
        return
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob("*.yaml"):
        if old.name not in rendered:
            old.unlink()
    for name, text in rendered.items():
        (directory / name).write_text(text)
