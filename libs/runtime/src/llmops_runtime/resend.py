"""Re-sending a command whose result did not arrive, under the same command id."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from llmops_events.envelope import CommandResult
from llmops_runtime.client import CommandClient


@dataclass(frozen=True)
class Answered:
    """A command's result and how many times it was sent before it came."""

    result: CommandResult
    sends: int

    @property
    def resent(self) -> bool:
        """True when the first send timed out and a re-send was answered."""
        return self.sends > 1


async def send_until_answered(
    client: CommandClient,
    service: str,
    wire_type: str,
    payload: dict[str, Any],
    *,
    command_id: str | None = None,
    key: str | None = None,
    attempt_timeout_s: float = 10.0,
    attempts: int = 6,
) -> Answered:
    """Send; after each timeout send again with the same command id, up to `attempts` sends.

    Safe because a service handles a command id once: a repeat of one it already handled is
    answered from its stored result, so a crash or restart of the service between the send
    and the reply costs a re-send, never a second effect. The last timeout is raised.
    """
    command_id = command_id or str(uuid.uuid4())
    for attempt in range(1, attempts + 1):
        try:
            result = await client.send(
                service, wire_type, payload,
                command_id=command_id, key=key, timeout=attempt_timeout_s,
            )  # fmt: skip
        except TimeoutError:
            if attempt == attempts:
                raise
            continue
        return Answered(result, attempt)
    raise ValueError("attempts must be at least 1")
