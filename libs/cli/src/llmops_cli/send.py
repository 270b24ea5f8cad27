"""`llmops send SVC COMMAND --data JSON|@file`: send one command and print its result."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Annotated, Any

import typer

from llmops_cli.endpoints import resolve_endpoints
from llmops_cli.token import local_token
from llmops_runtime.client import CommandClient


def _payload(data: str) -> dict[str, Any]:
    text = Path(data[1:]).read_text() if data.startswith("@") else data
    value = json.loads(text)
    if not isinstance(value, dict):
        raise typer.BadParameter("the payload must be a JSON object")
    return value


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
    """Send a command, print its result as JSON; exit 1 when rejected."""
    payload = _payload(data)
    endpoints = resolve_endpoints()

    async def run() -> str:
        async with CommandClient(endpoints.bootstrap_servers, actor_token=local_token(actor)) as c:
            result = await c.send(
                service, command, payload, command_id=command_id, key=key, timeout=timeout
            )
        typer.echo(result.model_dump_json(indent=2))
        return result.status

    if asyncio.run(run()) != "accepted":
        raise typer.Exit(1)
