"""How every Kafka client of the runtime authenticates, from the environment.

    LLMOPS_KAFKA_SECURITY_PROTOCOL   PLAINTEXT (default) or SASL_PLAINTEXT
    LLMOPS_KAFKA_SASL_MECHANISM      SCRAM-SHA-512 (default with SASL), SCRAM-SHA-256 or PLAIN
    LLMOPS_KAFKA_SASL_USERNAME       the principal (User:<name>)
    LLMOPS_KAFKA_SASL_PASSWORD       its password

Unset, clients connect exactly as before: no keyword is added.
"""

from __future__ import annotations

import os
from typing import Any

_PROTOCOLS = {"PLAINTEXT", "SASL_PLAINTEXT"}
_MECHANISMS = {"SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN"}


class KafkaSecurityError(ValueError):
    """The LLMOPS_KAFKA_* settings do not describe a usable connection."""


def kafka_security() -> dict[str, Any]:
    """aiokafka keyword arguments for the configured security; empty when none is set."""
    username = os.environ.get("LLMOPS_KAFKA_SASL_USERNAME", "")
    protocol = os.environ.get(
        "LLMOPS_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT" if username else "PLAINTEXT"
    ).upper()
    if protocol not in _PROTOCOLS:
        raise KafkaSecurityError(f"kafka_security_protocol_unsupported: {protocol}")
    if protocol == "PLAINTEXT":
        return {}
    mechanism = os.environ.get("LLMOPS_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512").upper()
    if mechanism not in _MECHANISMS:
        raise KafkaSecurityError(f"kafka_sasl_mechanism_unsupported: {mechanism}")
    password = os.environ.get("LLMOPS_KAFKA_SASL_PASSWORD", "")
    if not username or not password:
        raise KafkaSecurityError(
            "kafka_sasl_credentials_missing: set LLMOPS_KAFKA_SASL_USERNAME and _PASSWORD"
        )
    return {
        "security_protocol": protocol,
        "sasl_mechanism": mechanism,
        "sasl_plain_username": username,
        "sasl_plain_password": password,
    }
