"""`llmops send SVC COMMAND --data JSON|@file`: send one command and print its result."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from llmops_cli.endpoints import resolve_endpoints
from llmops_cli.services import definition_of
from llmops_cli.token import TokenRefused, local_token
from llmops_runtime.client import CommandClient


def _refuse(message: str) -> NoReturn:
    """One line on stderr and exit 2: bad input is the caller's to fix, no traceback."""
    typer.echo(message, err=True)
    raise typer.Exit(2)


def _payload(data: str) -> dict[str, Any]:
    if data.startswith("@"):
        try:
            text = Path(data[1:]).read_text()
        except OSError as error:
            _refuse(f"cannot read --data file {data[1:]!r}: {error.strerror or error}")
    else:
        text = data
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        where = f"line {error.lineno} column {error.colno}"
        _refuse(f"--data is not valid JSON: {error.msg} at {where}")
    if not isinstance(value, dict):
        _refuse(f"--data must be a JSON object, got {type(value).__name__}")
    return value


def _check_command(service: str, command: str) -> None:
    """Refuse a service or command the installed definitions do not declare (no broker needed)."""
    definition = definition_of(service)
    known = sorted(
        str(wire) for c in definition.command_contracts if (wire := getattr(c, "WIRE_NAME", None))
    )
    if known and command not in known:
        _refuse(f"unknown command {command!r} for {service}; known: {', '.join(known)}")


def send(
    service: Annotated[str, typer.Argument(help="Service name, e.g. catalog.")],
    command: Annotated[
        str, typer.Argument(help="Command wire name, e.g. catalog.register_model_version.")
    ],
    data: Annotated[
        str, typer.Option("--data", help="JSON payload, or @path to a JSON file.")
    ] = "{}",
    actor: Annotated[str, typer.Option(help="Actor for a local dev token.")] = "dev",
    key: Annotated[str | None, typer.Option(help="Partition key: the aggregate id.")] = None,
    command_id: Annotated[str | None, typer.Option(help="Idempotency key (default: new).")] = None,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for the result.")] = 30.0,
) -> None:
    """Send a command, print its result as JSON; exit 1 when rejected, 2 on bad input."""
    payload = _payload(data)
    _check_command(service, command)
    deliver(service, command, payload, actor=actor, key=key, command_id=command_id,
            timeout=timeout)  # fmt: skip


def deliver(
    service: str,
    command: str,
    payload: dict[str, Any],
    *,
    actor: str,
    key: str | None = None,
    command_id: str | None = None,
    timeout: float = 30.0,
) -> None:
    """Send one command as `actor` (or LLMOPS_TOKEN), print its result; exit 1 if rejected."""
    endpoints = resolve_endpoints()
    try:
        token = local_token(actor)
    except TokenRefused as exc:
        typer.echo(f"{exc}; or set LLMOPS_TOKEN", err=True)
        raise typer.Exit(2) from exc

    async def run() -> str:
        async with CommandClient(endpoints.bootstrap_servers, actor_token=token) as c:
            result = await c.send(
                service, command, payload, command_id=command_id, key=key, timeout=timeout
            )
        typer.echo(result.model_dump_json(indent=2))
        return result.status

    if asyncio.run(run()) != "accepted":
        raise typer.Exit(1)
