"""The training benchmark's service process: the training service hosted under a bench name."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses

from llmops_runtime.service import ServiceDefinition, ServiceHost, settings_for
from llmops_runtime.service.installed import load_definition, service_entries


def bench_definition(name: str) -> ServiceDefinition:
    """The installed training service under `name` (its own schema and topics).

    Found by its entry point, as `llmops_runtime.service.run` does: libs never import services.
    The process that hosts it sets LLMOPS_TRAINING_LOCAL_SCHEDULER=false.
    """
    return dataclasses.replace(load_definition(service_entries()["training"]), name=name)


async def serve(name: str, bootstrap: str, database_url: str) -> None:
    """Host it until killed (auth settings from LLMOPS_AUTH_*)."""
    settings = settings_for(
        name, database_url=database_url, kafka_bootstrap_servers=bootstrap, http_port=0
    )
    host = ServiceHost(bench_definition(name), settings)
    await host.start()
    print("ready", flush=True)
    await asyncio.Event().wait()


def main() -> None:
    """`python -m llmops_bench.training_service NAME BOOTSTRAP DATABASE_URL`."""
    parser = argparse.ArgumentParser()
    for arg in ("name", "bootstrap", "database_url"):
        parser.add_argument(arg)
    args = parser.parse_args()
    asyncio.run(serve(args.name, args.bootstrap, args.database_url))


if __name__ == "__main__":
    main()
