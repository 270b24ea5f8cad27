"""What the dataset handlers read from the service's projection of its own events."""

from __future__ import annotations

from typing import Protocol


class DatasetReadModel(Protocol):
    """The versions registered so far, by dataset name."""

    async def latest_version(self, name: str) -> str | None:
        """The most recently registered version of the dataset `name`, or None."""
        ...
