"""The bus's stable error codes and CommandRejected (defined in llmops_runtime.rejections)."""

from llmops_runtime.rejections import (
    CONCURRENCY_CONFLICT,
    FORBIDDEN,
    INTERNAL_ERROR,
    INVALID_ENVELOPE,
    INVALID_JSON,
    INVALID_PAYLOAD,
    PAYLOAD_TOO_LARGE,
    UNAUTHENTICATED,
    UNKNOWN_COMMAND,
    CommandRejected,
)

__all__ = [
    "CONCURRENCY_CONFLICT",
    "FORBIDDEN",
    "INTERNAL_ERROR",
    "INVALID_ENVELOPE",
    "INVALID_JSON",
    "INVALID_PAYLOAD",
    "PAYLOAD_TOO_LARGE",
    "UNAUTHENTICATED",
    "UNKNOWN_COMMAND",
    "CommandRejected",
]
