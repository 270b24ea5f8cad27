"""When a stored result answers a command id again, and which results are never stored."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from llmops_events.envelope import CommandEnvelope, CommandResult
from llmops_runtime.rejections import CONCURRENCY_CONFLICT, INTERNAL_ERROR, UNAUTHENTICATED

COMMAND_ID_CONFLICT = "command_id_conflict"
# Results a retry may change: deciding them again is the point of a retry.
ALWAYS_RETRYABLE = frozenset({UNAUTHENTICATED, INTERNAL_ERROR, CONCURRENCY_CONFLICT})


@dataclass(frozen=True, slots=True)
class StoredResult:
    """A stored result and what it was the answer to: who sent which command with what."""

    result: CommandResult
    actor: str | None
    wire_type: str | None
    digest: str | None

    def answers(self, actor: str, envelope: CommandEnvelope) -> bool:
        """True when the same actor sends the same command type with the same payload."""
        return (
            self.actor == actor
            and self.wire_type == envelope.type
            and self.digest == payload_digest(envelope)
        )


def payload_digest(envelope: CommandEnvelope) -> str:
    """SHA-256 of the payload in canonical JSON (sorted keys, no spaces)."""
    canonical = json.dumps(
        envelope.payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def frozen(result: CommandResult, retryable_codes: frozenset[str]) -> bool:
    """True when result is final for its command id (stored and returned to retries)."""
    return result.accepted or (
        result.code not in ALWAYS_RETRYABLE and result.code not in retryable_codes
    )
