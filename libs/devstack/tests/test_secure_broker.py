"""The secure broker: SASL/SCRAM-SHA-512 on the client listener and ACLs enforced."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAuthorizationFailedError

from llmops_devstack.kafka.broker import start_broker
from llmops_devstack.kafka.config import SCRAM_MECHANISM, BrokerSecurity
from llmops_devstack.paths import cache_dir

EVALUATION_EVENTS = "llmops.evaluation.events"


@dataclass(frozen=True)
class SecureBroker:
    bootstrap_servers: str
    passwords: dict[str, str]

    def sasl(self, user: str) -> dict[str, str]:
        return {
            "security_protocol": "SASL_PLAINTEXT",
            "sasl_mechanism": SCRAM_MECHANISM,
            "sasl_plain_username": user,
            "sasl_plain_password": self.passwords[user],
        }


@pytest.fixture(scope="module")
def secure_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SecureBroker]:
    """A second broker of its own, from the same jars, in a temporary folder."""
    directory: Path = tmp_path_factory.mktemp("secure-kafka")
    security = BrokerSecurity("llmops-admin", secrets.token_urlsafe(16))
    users = {"llmops-client": secrets.token_urlsafe(16)}
    broker = start_broker(directory, cache_dir(), heap="512m", security=security, users=users)
    try:
        yield SecureBroker(
            broker.bootstrap_servers,
            {**users, security.admin_user: security.admin_password},
        )
    finally:
        broker.stop()


async def _create_topic(broker: SecureBroker, topic: str) -> None:
    admin = AIOKafkaAdminClient(
        bootstrap_servers=broker.bootstrap_servers, **broker.sasl("llmops-admin")
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
    async def test_the_admin_principal_produces(self, secure_broker: SecureBroker) -> None:
        await _create_topic(secure_broker, EVALUATION_EVENTS)
        await _produce(secure_broker, "llmops-admin", EVALUATION_EVENTS)

    async def test_a_client_principal_cannot_produce_evaluation_events(
        self, secure_broker: SecureBroker
    ) -> None:
        with pytest.raises(TopicAuthorizationFailedError):
            await _produce(secure_broker, "llmops-client", EVALUATION_EVENTS)
