"""The benchmark's service process: the sample Tally aggregate behind the real command bus."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence
from uuid import UUID

import asyncpg
from eventsourcing.domain import Aggregate
from pydantic import BaseModel

from llmops_runtime.auth import AuthSettings, Permission, RoleBindingAuthorizer, TokenVerifier
from llmops_runtime.auth.role_bindings import TABLES as ROLE_BINDING_TABLES
from llmops_runtime.auth.role_bindings import RoleBindings
from llmops_runtime.commands import CommandBusSettings, CommandConsumer, CommandRegistry
from llmops_runtime.commands.handlers import HandlerContext
from llmops_runtime.eventstore import EventStore
from llmops_testing.sample import Tally

OPEN_TALLY = "runtime_sample.open_tally"
BENCH_ACTOR = "bench"


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


async def _authorizer(pool: asyncpg.Pool, schema: str) -> RoleBindingAuthorizer:
    """Authorization as a service runs it: the bench actor holds a role binding (no admin)."""
    async with pool.acquire() as conn:
        await ROLE_BINDING_TABLES.create_all(conn, schema)
        await conn.execute(
            f"INSERT INTO {schema}.access_role_bindings VALUES (gen_random_uuid(), 'actor', $1,"
            " 'submitter', ARRAY['open'], NULL, NULL, true, now())",
            BENCH_ACTOR,
        )
    permissions = {OPEN_TALLY: Permission("open", "tally")}
    return RoleBindingAuthorizer("bench", permissions, RoleBindings(pool, schema), None)


async def serve(service: str, bootstrap: str, database_url: str, schema: str) -> None:
    """Run one instance until killed (auth settings from LLMOPS_AUTH_*)."""
    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=2)
    store = EventStore(pool, schema)
    await store.create()
    consumer = CommandConsumer(
        service,
        bootstrap,
        store,
        tally_registry(),
        TokenVerifier(AuthSettings()),
        authorizer=await _authorizer(pool, schema),
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
