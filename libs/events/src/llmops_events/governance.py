"""Contracts published by the governance service that prompt consumes (built later)."""

from uuid import UUID

from llmops_events.base import EventContract, Name, Names


class ProhibitedTokensPublished(EventContract):
    """A policy's complete list of prohibited prompt tokens; it replaces the previous list."""

    WIRE_NAME = "governance.prohibited_tokens.published"
    policy_id: UUID
    policy_name: Name
    # The full list each time, so a consumer learns removals too; empty withdraws the policy.
    tokens: Names
    published_by: Name


EVENTS: tuple[type[EventContract], ...] = (ProhibitedTokensPublished,)
