"""Topic names of the command bus and their size limit (see llmops_runtime.topics)."""

from llmops_runtime.topics import (
    commands_topic,
    dead_letter_topic,
    delete_topics,
    ensure_topics,
    events_topic,
)

# Commands up to this size reach the service, so an oversized one is rejected, not refused
# by the broker with an error the client cannot map to a command.
COMMANDS_TOPIC_MAX_BYTES = 4 * 1024 * 1024

__all__ = [
    "COMMANDS_TOPIC_MAX_BYTES",
    "commands_topic",
    "dead_letter_topic",
    "delete_topics",
    "ensure_topics",
    "events_topic",
]
