"""A lock timeout while appending is waited out: the command is accepted later, not rejected."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
import pytest
from pydantic import SecretStr

from llmops_runtime.auth import AuthSettings, TokenVerifier
from llmops_runtime.client import CommandClient
from llmops_runtime.commands import CommandBusSettings, CommandConsumer
from llmops_runtime.commands.audit_events import AUDIT_WIRE_TYPE
from llmops_runtime.eventstore import EventStore

from .conftest import TEST_ISSUER, TEST_KEY, counter_registry, token

pytestmark = pytest.mark.stack


async def test_commands_arriving_while_the_event_store_is_locked_are_accepted_after(
    kafka_bootstrap: str, database_url: str, unique_name: str
) -> None:
    # Sessions that give up on a lock after 50 ms, as a production lock_timeout would.
    pool = await asyncpg.create_pool(
        database_url, min_size=1, max_size=4, server_settings={"lock_timeout": "50"}
    )
    store = EventStore(pool, f"svc_{unique_name}")
    consumer = CommandConsumer(
        unique_name,
        kafka_bootstrap,
        store,
        counter_registry(),
        TokenVerifier(AuthSettings(hs256_keys=[SecretStr(TEST_KEY)], issuers=[TEST_ISSUER])),
        settings=CommandBusSettings(partitions=2),
    )
    await consumer.start()
    task = asyncio.create_task(consumer.run())
    client = CommandClient(kafka_bootstrap, actor_token=token())
    await client.start()
    holder = await asyncpg.connect(database_url)
    try:
        lock = holder.transaction()
        await lock.start()
        # EXCLUSIVE blocks every INSERT into the store but still lets readers load aggregates.
        await holder.execute(f"LOCK TABLE {store.schema}.events IN EXCLUSIVE MODE")
        names = [f"c{uuid.uuid4().hex[:6]}" for _ in range(5)]
        sends = [
            asyncio.create_task(
                client.send(unique_name, "bus_test.open_counter", {"name": n}, timeout=60)
            )
            for n in names
        ]
        await asyncio.sleep(2.0)
        await lock.rollback()
        results = await asyncio.gather(*sends)
        assert [(r.status, r.code) for r in results] == [("accepted", None)] * 5
        domain = f"SELECT count(*) FROM {store.schema}.events WHERE wire_type <> $1"
        assert await pool.fetchval(domain, AUDIT_WIRE_TYPE) == 5
        assert not task.done()
    finally:
        await holder.close()
        await client.stop()
        await consumer.stop()
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await pool.close()
