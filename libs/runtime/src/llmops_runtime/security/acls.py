"""The ACLs of each principal, derived from the installed service definitions.

A service principal (`User:<service>`) may:
- produce to its own topics (`llmops.<service>.` prefixed: events, its dead letters) and to
  the dead-letter topic of each topic it consumes; create and describe them;
- produce to reply topics (`llmops.replies.` prefixed), answering command clients;
- consume its commands topic and the event topics its projections read;
- use its consumer groups (`llmops.<service>.` prefixed).
A client principal may produce to the commands topics only, and create, read and delete reply
topics (`llmops.replies.` prefixed). Nothing else is allowed: the broker runs with
`allow.everyone.if.no.acl.found=false`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from llmops_runtime.topics import REPLY_TOPIC_PREFIX, commands_topic, dead_letter_topic

# Kafka's wire codes (org.apache.kafka.common.resource / acl).
TOPIC, GROUP = 2, 3
LITERAL, PREFIXED = 3, 4
READ, WRITE, CREATE, DELETE, DESCRIBE, DESCRIBE_CONFIGS = 3, 4, 5, 6, 8, 10


@dataclass(frozen=True)
class AclBinding:
    """One ALLOW rule for a principal on a resource pattern, from any host."""

    principal: str
    resource_type: int
    name: str
    pattern: int
    operation: int


def _allow(
    principal: str, resource_type: int, name: str, pattern: int, operations: Iterable[int]
) -> list[AclBinding]:
    return [AclBinding(principal, resource_type, name, pattern, op) for op in operations]


def consumed_topics(definition: Any) -> tuple[str, ...]:
    """The topics a service's projections read (its own store excluded)."""
    # Imported here, auth first: projections and auth import each other.
    import llmops_runtime.auth  # noqa: F401
    from llmops_runtime.projections.declaration import source_topics

    found: list[str] = []
    for projection in definition.projections:
        found += [t for t in source_topics(projection) if t not in found]
    return tuple(found)


def service_acls(definition: Any) -> list[AclBinding]:
    """What the principal `User:<name>` of one service may do."""
    name = definition.name
    user = f"User:{name}"
    own = f"llmops.{name}."
    bindings = _allow(user, TOPIC, own, PREFIXED, (WRITE, READ, CREATE, DESCRIBE, DESCRIBE_CONFIGS))
    bindings += _allow(user, GROUP, own, PREFIXED, (READ, DESCRIBE))
    bindings += _allow(user, TOPIC, REPLY_TOPIC_PREFIX, PREFIXED, (WRITE, DESCRIBE))
    for topic in consumed_topics(definition):
        if topic.startswith(own):
            continue
        bindings += _allow(user, TOPIC, topic, LITERAL, (READ, DESCRIBE, DESCRIBE_CONFIGS))
        bindings += _allow(
            user, TOPIC, dead_letter_topic(topic), LITERAL, (WRITE, CREATE, DESCRIBE)
        )
    return bindings


def client_acls(principal: str, services: Sequence[str]) -> list[AclBinding]:
    """What a command client may do: send commands, and own its reply topics."""
    user = f"User:{principal}"
    bindings: list[AclBinding] = []
    for service in services:
        bindings += _allow(user, TOPIC, commands_topic(service), LITERAL, (WRITE, DESCRIBE))
    bindings += _allow(user, TOPIC, REPLY_TOPIC_PREFIX, PREFIXED, (CREATE, READ, DELETE, DESCRIBE))
    return bindings
