"""The process entry of every service: `python -m llmops_runtime.service.run <name>`."""

from __future__ import annotations

import asyncio
import signal
import sys
from collections.abc import Sequence

from llmops_runtime.logging import configure_logging
from llmops_runtime.service.definition import ServiceDefinition
from llmops_runtime.service.host import ServiceHost
from llmops_runtime.service.installed import load_definition, service_entries
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


def main(argv: Sequence[str]) -> int:
    """Run the installed service named by the one argument; 2 with the known names if unknown."""
    entries = service_entries()
    if len(argv) != 1 or argv[0] not in entries:
        known = ", ".join(sorted(entries)) or "none"
        print(
            f"usage: python -m llmops_runtime.service.run <name>; installed: {known}",
            file=sys.stderr,
        )
        return 2
    run_service(load_definition(entries[argv[0]]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
