"""`llmops events tail SVC`: print a service's events as they arrive on its events topic."""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from typing import Annotated

import typer
from aiokafka import AIOKafkaConsumer

from llmops_cli.endpoints import resolve_endpoints
from llmops_runtime.commands import events_topic
from llmops_runtime.kafka_security import kafka_security

app = typer.Typer(help="Event streams.", no_args_is_help=True)


@app.command()
def tail(
    service: Annotated[str, typer.Argument(help="Service name, e.g. catalog.")],
    from_beginning: Annotated[bool, typer.Option(help="Start at the oldest event.")] = False,
) -> None:
    """Print each event (one JSON line: key, headers, value) until interrupted."""
    endpoints = resolve_endpoints()

    async def run() -> None:
        consumer = AIOKafkaConsumer(
            events_topic(service),
            bootstrap_servers=endpoints.bootstrap_servers,
            **kafka_security(),
            group_id=f"llmops-cli-tail-{uuid.uuid4().hex[:8]}",
            auto_offset_reset="earliest" if from_beginning else "latest",
            enable_auto_commit=False,
        )
        await consumer.start()
        try:
            async for record in consumer:
                value = record.value.decode(errors="replace") if record.value else None
                line = {
                    "partition": record.partition,
                    "offset": record.offset,
                    "key": record.key.decode(errors="replace") if record.key else None,
                    "headers": {k: v.decode(errors="replace") for k, v in record.headers},
                    "value": json.loads(value) if value else None,
                }
                typer.echo(json.dumps(line), nl=True)
        finally:
            await consumer.stop()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run())
