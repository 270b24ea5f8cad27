"""What the prompt handlers read from the service's projection of governance events."""

from __future__ import annotations

from typing import Protocol


class PromptReadModel(Protocol):
    """Prohibited tokens published by governance policies."""

    async def governance_tokens(self) -> list[str]:
        """The union of every policy's current prohibited-token list."""
        ...
