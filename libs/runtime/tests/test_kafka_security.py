"""Kafka client security settings from the environment."""

from __future__ import annotations

import pytest

from llmops_runtime.kafka_security import KafkaSecurityError, kafka_security

_KEYS = (
    "LLMOPS_KAFKA_SECURITY_PROTOCOL",
    "LLMOPS_KAFKA_SASL_MECHANISM",
    "LLMOPS_KAFKA_SASL_USERNAME",
    "LLMOPS_KAFKA_SASL_PASSWORD",
)


@pytest.fixture(autouse=True)
def clean(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in _KEYS:
        monkeypatch.delenv(key, raising=False)


def test_unset_adds_nothing() -> None:
    assert kafka_security() == {}


def test_a_username_means_sasl_scram_512(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LLMOPS_KAFKA_SASL_USERNAME", "catalog")
    monkeypatch.setenv("LLMOPS_KAFKA_SASL_PASSWORD", "secret")
    assert kafka_security() == {
        "security_protocol": "SASL_PLAINTEXT",
        "sasl_mechanism": "SCRAM-SHA-512",
        "sasl_plain_username": "catalog",
        "sasl_plain_password": "secret",
    }


def test_sasl_without_password_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LLMOPS_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT")
    monkeypatch.setenv("LLMOPS_KAFKA_SASL_USERNAME", "catalog")
    with pytest.raises(KafkaSecurityError, match="kafka_sasl_credentials_missing"):
        kafka_security()


def test_an_unknown_mechanism_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LLMOPS_KAFKA_SASL_USERNAME", "catalog")
    monkeypatch.setenv("LLMOPS_KAFKA_SASL_PASSWORD", "secret")
    monkeypatch.setenv("LLMOPS_KAFKA_SASL_MECHANISM", "GSSAPI")
    with pytest.raises(KafkaSecurityError, match="kafka_sasl_mechanism_unsupported"):
        kafka_security()
