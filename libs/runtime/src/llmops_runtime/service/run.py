"""`run_service`: the process entry of a service, until SIGTERM or Ctrl-C."""

from __future__ import annotations

import asyncio
import signal

from llmops_runtime.logging import configure_logging
from llmops_runtime.service.definition import ServiceDefinition
from llmops_runtime.service.host import ServiceHost
from llmops_runtime.service.settings import settings_for
from llmops_runtime.tracing import configure_tracing


async def serve(definition: ServiceDefinition) -> None:
    """Start the host and wait for a stop signal, then stop it cleanly."""
    host = ServiceHost(definition, settings_for(definition.name))
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopping.set)
    await host.start()
    try:
        await stopping.wait()
    finally:
        await host.stop()


def run_service(definition: ServiceDefinition) -> None:
    """Run one service in this process."""
    configure_logging(definition.name)
    configure_tracing(definition.name)
    asyncio.run(serve(definition))
