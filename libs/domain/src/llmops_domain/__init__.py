"""Generic domain shapes the services' domains share: pure Python, no I/O, no business rules."""

from llmops_domain.errors import (
    DomainError,
    DuplicateVersion,
    InvalidTransition,
    NotFound,
    ValidationFailed,
)

__all__ = ["DomainError", "DuplicateVersion", "InvalidTransition", "NotFound", "ValidationFailed"]
