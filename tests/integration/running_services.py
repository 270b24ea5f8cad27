"""Services hosted in-process on the real stack, and publishing as a missing service would.

Shared by the integration tests that run several services together.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any, TypeVar

import asyncpg
import httpx
from aiokafka.admin import AIOKafkaAdminClient

from llmops_events.envelope import CommandResult
from llmops_events.evaluation import EvaluationRunCompleted
from llmops_events.governance import ProhibitedTokensPublished
from llmops_runtime.auth import bootstrap_admins, issue_token
from llmops_runtime.client import CommandClient
from llmops_runtime.events_topics import EventsTopicSettings, events_topic_configs
from llmops_runtime.relay import (
    ensure_topics,
)
from llmops_runtime.service import (
    ServiceDefinition,
    ServiceHost,
    migrate_services,
    settings_for,
)
from llmops_testing.stack import publish_as_relay, read_client

KEY = "flow-test-signing-key-long-enough-for-hs256"
ISSUER = "llmops-flow-tests"
T = TypeVar("T")


# --- an organisation of actors on the running system ---------------------------------------


@dataclasses.dataclass
class Actors:
    """The running services and this run's actors (unique names: topics are shared)."""

    system: System
    suffix: str

    def who(self, name: str) -> str:
        return f"{name}-{self.suffix}"

    async def send(self, actor: str, service: str, wire: str, **payload: Any) -> CommandResult:
        return await self.system.send(self.who(actor), service, wire, **payload)


# --- the running system -------------------------------------------------------------------


class System:
    """The three hosted services, a command client per actor, and HTTP to each service."""

    def __init__(
        self, hosts: dict[str, ServiceHost], bootstrap: str, database_url: str, reader: str
    ) -> None:
        self.hosts = hosts
        self.bootstrap = bootstrap
        self.database_url = database_url
        self.reader = reader
        self.clients: dict[str, CommandClient] = {}

    async def send(self, actor: str, service: str, wire_type: str, **payload: Any) -> CommandResult:
        """Send a command as `actor` and await its result."""
        if actor not in self.clients:
            client = CommandClient(self.bootstrap, actor_token=issue_token(actor, KEY, ISSUER))
            await client.start()
            self.clients[actor] = client
        body = json.loads(json.dumps(payload, default=str))
        return await self.clients[actor].send(service, wire_type, body, timeout=60)

    def http(self, service: str, actor: str | None = None) -> httpx.AsyncClient:
        """An HTTP client on the service's read API, reading as actor (default: the reader)."""
        token = issue_token(actor or self.reader, KEY, ISSUER)
        return read_client(self.hosts[service], token)

    async def get(self, service: str, path: str, **params: str) -> httpx.Response:
        """GET a path of a service's read API as the reader (the first bootstrap admin)."""
        async with self.http(service) as http:
            return await http.get(path, params=params)


async def eventually(
    probe: Callable[[], Awaitable[T | None]], what: str, within_s: float = 60
) -> T:
    """Poll `probe` until it returns something truthy: read models are eventually consistent."""
    deadline = asyncio.get_running_loop().time() + within_s
    while True:
        found = await probe()
        if found:
            return found
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.2)


async def fresh_database(database_url: str, name: str) -> str:
    """A new database on the session's server, so the services' schemas start empty."""
    conn = await asyncpg.connect(database_url)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    base, _, _ = database_url.rpartition("/")
    query = database_url.partition("?")[2]
    return f"{base}/{name}" + (f"?{query}" if query else "")


# --- playing the evaluation service -----------------------------------------------------


async def publish_evaluation(bootstrap: str, model_version_id: str, type_: str) -> str:
    """Publish `evaluation.run.completed` as the evaluation service's relay would."""
    run = EvaluationRunCompleted(
        run_id=uuid.uuid4(),
        model_entry_id=uuid.UUID(model_version_id),
        dataset_id=uuid.uuid4(),
        prompt_template_id=None,
        type=type_,  # type: ignore[arg-type]
        metrics={"accuracy": 0.93} if type_ == "automated" else {"rating": 4.6},
        status="completed",
        started_at=datetime.now(UTC),
        completed_at=datetime.now(UTC),
        run_by="eval-bot",
        snapshot_digest=None,
    )
    await publish_as_relay(bootstrap, "llmops.evaluation.events", run, stream_id=run.run_id)
    return str(run.run_id)


async def publish_governance_tokens(bootstrap: str, tokens: list[str]) -> None:
    """Publish `governance.prohibited_tokens.published` as the governance service's relay would."""
    published = ProhibitedTokensPublished(
        policy_id=uuid.uuid4(), policy_name="pii", tokens=tokens, published_by="compliance"
    )
    await publish_as_relay(
        bootstrap, "llmops.governance.events", published, stream_id=published.policy_id
    )


# --- topics these tests share -------------------------------------------------------------


async def fresh_service_topics(bootstrap: str, services: Iterable[str]) -> None:
    """Delete the services' events topics (and their checkpoint and dead-letter topics).

    Tests that host a service under its real name share its fixed topics; each starts them
    empty so that its own history is all a consumer or `llmops audit verify` finds there.
    The hosts create them again when they start.
    """
    prefixes = tuple(f"llmops.{service}.events" for service in services)
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        doomed = [t for t in await admin.list_topics() if t.startswith(prefixes)]
        if doomed:
            await admin.delete_topics(doomed)
        for _ in range(100):
            if not set(doomed) & set(await admin.list_topics()):
                break
            await asyncio.sleep(0.1)
        else:
            raise AssertionError(f"topics not deleted: {doomed}")
    finally:
        await admin.close()


# Every service these tests may host or consume, under its real name and topics.
SHARED_SERVICES = ("catalog", "dataset", "evaluation", "governance", "prompt", "training")


@asynccontextmanager
async def hosted_services(
    kafka_bootstrap: str, database_url: str, name: str, definitions: Sequence[ServiceDefinition]
) -> AsyncIterator[System]:
    """The services in a database of their own, on empty topics, each as its own role.

    Auth, bootstrap admins and other settings come from the environment the test sets first.
    """
    url = await fresh_database(database_url, name)
    await fresh_service_topics(kafka_bootstrap, SHARED_SERVICES)
    topics = [f"llmops.{service}.events" for service in SHARED_SERVICES]
    configs = events_topic_configs(EventsTopicSettings())
    await ensure_topics(kafka_bootstrap, topics, configs=dict.fromkeys(topics, configs))
    # The owner migrates; each service runs as its own role, without DDL rights.
    urls = await migrate_services(url, definitions)
    hosts: dict[str, ServiceHost] = {}
    # Reads need a token allowed to read: the tests read as the first bootstrap admin.
    admins = sorted(bootstrap_admins())
    assert admins, "set LLMOPS_GOVERNANCE_BOOTSTRAP_ADMINS: the services refuse anonymous reads"
    running = System(hosts, kafka_bootstrap, url, reader=admins[0])
    try:
        for definition in definitions:
            settings = settings_for(
                definition.name, database_url=urls[definition.name],
                kafka_bootstrap_servers=kafka_bootstrap,
            )  # fmt: skip
            hosts[definition.name] = ServiceHost(definition, settings)
            await hosts[definition.name].start()
        yield running
    finally:
        for client in running.clients.values():
            await client.stop()
        for host in reversed(hosts.values()):
            await host.stop()
