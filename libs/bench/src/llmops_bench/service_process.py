"""A benchmark's service process: an installed service hosted under its own name.

`python -m llmops_bench.service_process SERVICE BOOTSTRAP DATABASE_URL` prints
`ready <http port>` once it serves, then runs until killed (settings from the environment).
Found by its entry point, as `llmops_runtime.service.run` does: libs never import services.
"""

from __future__ import annotations

import argparse
import asyncio

from llmops_runtime.service import ServiceHost, settings_for
from llmops_runtime.service.installed import load_definition, service_entries


async def serve(service: str, bootstrap: str, database_url: str) -> None:
    """Host the service until killed."""
    settings = settings_for(
        service, database_url=database_url, kafka_bootstrap_servers=bootstrap, http_port=0
    )
    host = ServiceHost(load_definition(service_entries()[service]), settings)
    await host.start()
    print(f"ready {host.http_port}", flush=True)
    await asyncio.Event().wait()


def main() -> None:
    """Parse SERVICE BOOTSTRAP DATABASE_URL and serve."""
    parser = argparse.ArgumentParser()
    for arg in ("service", "bootstrap", "database_url"):
        parser.add_argument(arg)
    args = parser.parse_args()
    asyncio.run(serve(args.service, args.bootstrap, args.database_url))


if __name__ == "__main__":
    main()
