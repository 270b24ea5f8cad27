"""The governance service's domain errors: the shared PolicyReviewOverdue, re-exported."""

from llmops_domain.errors import PolicyReviewOverdue

__all__ = ["PolicyReviewOverdue"]
