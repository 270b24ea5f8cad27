"""The benchmark's service process: the sample Tally aggregate behind the real command bus."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence
from uuid import UUID

import asyncpg
from eventsourcing.domain import Aggregate
from pydantic import BaseModel

from llmops_runtime.auth import AuthSettings, TokenVerifier
from llmops_runtime.commands import CommandBusSettings, CommandConsumer, CommandRegistry
from llmops_runtime.commands.handlers import HandlerContext
from llmops_runtime.eventstore import EventStore
from llmops_testing.sample import Tally

OPEN_TALLY = "runtime_sample.open_tally"


class OpenTally(BaseModel):
    """Open a tally: one event per command."""

    name: str
    owner: UUID


def tally_registry() -> CommandRegistry:
    """The benchmark service's only command."""
    registry = CommandRegistry()

    @registry.command(OPEN_TALLY, OpenTally)
    async def open_tally(cmd: OpenTally, ctx: HandlerContext) -> Sequence[Aggregate]:
        return [Tally(cmd.name, cmd.owner)]

    return registry


async def serve(service: str, bootstrap: str, database_url: str, schema: str) -> None:
    """Run one instance until killed (auth settings from LLMOPS_AUTH_*)."""
    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=2)
    consumer = CommandConsumer(
        service,
        bootstrap,
        EventStore(pool, schema),
        tally_registry(),
        TokenVerifier(AuthSettings()),
        settings=CommandBusSettings(partitions=8),
    )
    await consumer.start()
    print("ready", flush=True)
    await consumer.run()


def main() -> None:
    """`python -m llmops_bench.command_service SERVICE BOOTSTRAP DATABASE_URL SCHEMA`."""
    parser = argparse.ArgumentParser()
    for name in ("service", "bootstrap", "database_url", "schema"):
        parser.add_argument(name)
    args = parser.parse_args()
    asyncio.run(serve(args.service, args.bootstrap, args.database_url, args.schema))


if __name__ == "__main__":
    main()
