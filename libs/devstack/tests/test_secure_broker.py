"""The secure broker: SASL/SCRAM-SHA-512 on the client listener and ACLs enforced."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAuthorizationFailedError

from llmops_devstack.kafka.secure import ADMIN_USER, SecureBroker, secure_broker

EVALUATION_EVENTS = "llmops.evaluation.events"


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SecureBroker]:
    """A second broker of its own, from the same jars, in a temporary folder."""
    with secure_broker(tmp_path_factory.mktemp("secure-kafka"), ["llmops-client"]) as running:
        yield running


async def _create_topic(broker: SecureBroker, topic: str) -> None:
    admin = AIOKafkaAdminClient(
        bootstrap_servers=broker.bootstrap_servers, **broker.sasl(ADMIN_USER)
    )
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, 1, 1)])
    finally:
        await admin.close()


async def _produce(broker: SecureBroker, user: str, topic: str) -> None:
    producer = AIOKafkaProducer(
        bootstrap_servers=broker.bootstrap_servers, request_timeout_ms=10_000, **broker.sasl(user)
    )
    await producer.start()
    try:
        await producer.send_and_wait(topic, b'{"type": "evaluation.run.completed"}')
    finally:
        await producer.stop()


class TestSecureBroker:
    async def test_the_admin_principal_produces(self, broker: SecureBroker) -> None:
        await _create_topic(broker, EVALUATION_EVENTS)
        await _produce(broker, ADMIN_USER, EVALUATION_EVENTS)

    async def test_a_client_principal_cannot_produce_evaluation_events(
        self, broker: SecureBroker
    ) -> None:
        with pytest.raises(TopicAuthorizationFailedError):
            await _produce(broker, "llmops-client", EVALUATION_EVENTS)
