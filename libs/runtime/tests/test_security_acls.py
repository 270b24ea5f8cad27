"""ACLs derived from a service definition."""

from __future__ import annotations

from types import SimpleNamespace

from llmops_runtime.security.acls import (
    LITERAL,
    PREFIXED,
    READ,
    TOPIC,
    WRITE,
    AclBinding,
    client_acls,
    service_acls,
)


def _definition() -> SimpleNamespace:
    projection = SimpleNamespace(topic="llmops.evaluation.events", topics=())
    own = SimpleNamespace(topic=None, topics=())
    return SimpleNamespace(name="catalog", projections=[projection, own])


def _writes(bindings: list[AclBinding]) -> set[tuple[str, int]]:
    return {
        (b.name, b.pattern) for b in bindings if b.resource_type == TOPIC and b.operation == WRITE
    }


def test_a_service_writes_only_its_own_topics_replies_and_dead_letters() -> None:
    assert _writes(service_acls(_definition())) == {
        ("llmops.catalog.", PREFIXED),
        ("llmops.replies.", PREFIXED),
        ("llmops.evaluation.events.dlq", LITERAL),
    }


def test_a_service_reads_the_events_it_consumes() -> None:
    bindings = service_acls(_definition())
    assert AclBinding("User:catalog", TOPIC, "llmops.evaluation.events", LITERAL, READ) in bindings


def test_a_client_writes_commands_topics_only() -> None:
    assert _writes(client_acls("cli", ["catalog", "evaluation"])) == {
        ("llmops.catalog.commands", LITERAL),
        ("llmops.evaluation.commands", LITERAL),
    }
