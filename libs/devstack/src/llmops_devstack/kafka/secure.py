"""A secure broker of its own (SASL/SCRAM-SHA-512 and ACLs), from the same jars."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from llmops_devstack.kafka.broker import start_broker
from llmops_devstack.kafka.config import SCRAM_MECHANISM, BrokerSecurity
from llmops_devstack.paths import cache_dir

ADMIN_USER = "llmops-admin"


@dataclass(frozen=True)
class SecureBroker:
    """Where a secure broker listens and every principal's password."""

    bootstrap_servers: str
    passwords: dict[str, str]

    def sasl(self, user: str) -> dict[str, str]:
        """aiokafka keyword arguments authenticating as `user`."""
        return {
            "security_protocol": "SASL_PLAINTEXT",
            "sasl_mechanism": SCRAM_MECHANISM,
            "sasl_plain_username": user,
            "sasl_plain_password": self.passwords[user],
        }

    def env(self, user: str) -> dict[str, str]:
        """The LLMOPS_KAFKA_* settings authenticating a process as `user`."""
        return {
            "KAFKA_BOOTSTRAP_SERVERS": self.bootstrap_servers,
            "LLMOPS_KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT",
            "LLMOPS_KAFKA_SASL_MECHANISM": SCRAM_MECHANISM,
            "LLMOPS_KAFKA_SASL_USERNAME": user,
            "LLMOPS_KAFKA_SASL_PASSWORD": self.passwords[user],
        }


@contextmanager
def secure_broker(
    directory: Path, users: Iterable[str], heap: str = "512m"
) -> Iterator[SecureBroker]:
    """Start a secure broker in `directory` with a random password for each user; stop it after."""
    security = BrokerSecurity(ADMIN_USER, secrets.token_urlsafe(18))
    passwords = {user: secrets.token_urlsafe(18) for user in users}
    broker = start_broker(directory, cache_dir(), heap=heap, security=security, users=passwords)
    try:
        yield SecureBroker(
            broker.bootstrap_servers, {**passwords, ADMIN_USER: security.admin_password}
        )
    finally:
        broker.stop()
