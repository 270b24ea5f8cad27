"""Settings of a service's command consumer (`LLMOPS_COMMANDS_*`)."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict

from llmops_runtime.commands.intake import MAX_COMMAND_BYTES


class CommandBusSettings(BaseSettings):
    """Partitions, batch size and limits of the command consumer."""

    model_config = SettingsConfigDict(env_prefix="LLMOPS_COMMANDS_")

    partitions: int = 8
    max_batch: int = 500
    poll_timeout_ms: int = 100
    max_command_bytes: int = MAX_COMMAND_BYTES
    max_conflict_retries: int = 3
    reply_timeout_s: float = 2.0
    # Replies of a batch are sent together and then awaited, so lingering only adds latency.
    linger_ms: int = 0
    # Static group membership (KIP-345): an instance restarted under the same id takes its
    # partitions back at once instead of waiting for the dead member's session to time out.
    # Each instance of a service needs its own id (`<svc>-<n>`); unset, membership is dynamic.
    group_instance_id: str | None = None
    session_timeout_ms: int = 10_000
