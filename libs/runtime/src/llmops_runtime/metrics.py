"""Prometheus metrics of the command bus."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

COMMANDS_ACCEPTED = Counter(
    "llmops_commands_accepted_total", "Commands accepted.", ["service", "command"]
)
COMMANDS_REJECTED = Counter(
    "llmops_commands_rejected_total", "Commands rejected, by error code.", ["service", "code"]
)
COMMANDS_REPLAYED = Counter(
    "llmops_commands_replayed_total",
    "Commands seen before, answered from the stored result.",
    ["service"],
)
DEAD_LETTERS = Counter(
    "llmops_commands_dead_lettered_total", "Records sent to the dead-letter topic.", ["service"]
)
HANDLER_SECONDS = Histogram(
    "llmops_command_handler_seconds",
    "Time in a command handler, including its append.",
    ["service", "command"],
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0),
)
BATCH_SECONDS = Histogram(
    "llmops_command_batch_seconds",
    "Time to process one batch: database transaction, replies, offset commit.",
    ["service"],
)
CONSUMER_LAG = Gauge(
    "llmops_command_consumer_lag",
    "Records not yet consumed, per partition.",
    ["service", "partition"],
)
