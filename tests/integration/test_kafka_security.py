"""ACLs derived from the service definitions, enforced by a secure broker of its own."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAuthorizationFailedError

from llmops_devstack.kafka.secure import ADMIN_USER, SecureBroker, secure_broker
from llmops_runtime.client import CommandClient
from llmops_runtime.relay.publisher import idempotent_producer
from llmops_runtime.security.acls import client_acls, service_acls
from llmops_runtime.security.apply import create_acls
from llmops_runtime.service.installed import installed_definitions
from llmops_runtime.topics import commands_topic, events_topic

CLIENT = "llmops-client"
SERVICES = sorted(installed_definitions())


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SecureBroker]:
    with secure_broker(tmp_path_factory.mktemp("secure-kafka"), [*SERVICES, CLIENT]) as running:
        yield running


@pytest.fixture(scope="module")
async def secured(broker: SecureBroker) -> SecureBroker:
    """Every service's topics, and every principal's ACLs, applied by the admin principal."""
    admin = AIOKafkaAdminClient(
        bootstrap_servers=broker.bootstrap_servers, **broker.sasl(ADMIN_USER)
    )
    await admin.start()
    try:
        topics = [events_topic(s) for s in SERVICES] + [commands_topic(s) for s in SERVICES]
        await admin.create_topics([NewTopic(t, 1, 1) for t in topics])
    finally:
        await admin.close()
    bindings = [b for d in installed_definitions().values() for b in service_acls(d)]
    bindings += client_acls(CLIENT, SERVICES)
    await create_acls(broker.bootstrap_servers, bindings, **broker.sasl(ADMIN_USER))
    await _until_acls_apply(broker)
    return broker


async def _until_acls_apply(broker: SecureBroker) -> None:
    """ACLs reach the broker through the metadata log, shortly after the controller takes them."""
    deadline = asyncio.get_running_loop().time() + 30
    while True:
        try:
            await _produce(broker, "catalog", events_topic("catalog"))
            return
        except TopicAuthorizationFailedError:
            if asyncio.get_running_loop().time() > deadline:
                raise
            await asyncio.sleep(0.5)


async def _produce(broker: SecureBroker, user: str, topic: str) -> None:
    producer = AIOKafkaProducer(
        bootstrap_servers=broker.bootstrap_servers, request_timeout_ms=10_000, **broker.sasl(user)
    )
    await producer.start()
    try:
        await producer.send_and_wait(topic, b'{"type": "evaluation.run.completed"}')
    finally:
        await producer.stop()


async def _consume_one(broker: SecureBroker, user: str, topic: str, group: str) -> bytes:
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=broker.bootstrap_servers,
        group_id=group,
        auto_offset_reset="earliest",
        **broker.sasl(user),
    )
    await consumer.start()
    try:
        record = await consumer.getone()
        await consumer.commit()
        return record.value or b""
    finally:
        await consumer.stop()


class TestClientPrincipal:
    async def test_it_cannot_produce_evaluation_events(self, secured: SecureBroker) -> None:
        with pytest.raises(TopicAuthorizationFailedError):
            await _produce(secured, CLIENT, events_topic("evaluation"))

    async def test_it_sends_commands(self, secured: SecureBroker) -> None:
        await _produce(secured, CLIENT, commands_topic("catalog"))


class TestServicePrincipal:
    async def test_it_cannot_produce_another_services_events(self, secured: SecureBroker) -> None:
        with pytest.raises(TopicAuthorizationFailedError):
            await _produce(secured, "catalog", events_topic("evaluation"))

    async def test_it_produces_its_own_events_and_a_consumer_reads_them(
        self, secured: SecureBroker
    ) -> None:
        await _produce(secured, "evaluation", events_topic("evaluation"))
        group = f"llmops.catalog.{uuid.uuid4().hex}"
        value = await _consume_one(secured, "catalog", events_topic("evaluation"), group)
        assert b"evaluation.run.completed" in value

    async def test_it_cannot_read_events_it_does_not_declare(self, secured: SecureBroker) -> None:
        with pytest.raises(TopicAuthorizationFailedError):
            await _consume_one(
                secured, "prompt", events_topic("evaluation"), f"llmops.prompt.{uuid.uuid4().hex}"
            )


class TestRuntimeClientsUnderSasl:
    async def test_a_command_client_owns_its_reply_topic(
        self, secured: SecureBroker, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        for key, value in secured.env(CLIENT).items():
            monkeypatch.setenv(key, value)
        client = CommandClient(secured.bootstrap_servers)
        await client.start()
        await client.stop()

    async def test_the_relay_producer_of_a_client_principal_is_refused(
        self, secured: SecureBroker, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        for key, value in secured.env(CLIENT).items():
            monkeypatch.setenv(key, value)
        producer = idempotent_producer(secured.bootstrap_servers)
        await producer.start()
        try:
            with pytest.raises(TopicAuthorizationFailedError):
                await producer.send_and_wait(events_topic("evaluation"), b"forged")
        finally:
            await producer.stop()
