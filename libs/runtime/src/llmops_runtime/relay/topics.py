"""The relay's topics (see llmops_runtime.topics)."""

from llmops_runtime.topics import ensure_topics, events_topic, topic_partitions

__all__ = ["ensure_topics", "events_topic", "topic_partitions"]
