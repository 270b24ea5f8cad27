"""What the serving rules read from the service's projections of other services' events."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Protocol
from uuid import UUID

from llmops_runtime.budgets import BudgetBlock
from serving_service.domain.deployment_rules import KnownModel

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The wall clock, in UTC."""
    return datetime.now(UTC)


class ServingReadModel(Protocol):
    """Catalog versions and aliases, prompt labels, and the service's open windows."""

    async def model(self, model_entry_id: UUID) -> KnownModel | None:
        """A model version as learned from the catalog; None if never approved."""
        ...

    async def alias_target(self, name: str, alias: str) -> UUID | None:
        """The version a catalog alias points at now, if any."""
        ...

    async def prompt_label(self, name: str, label: str) -> tuple[UUID, UUID] | None:
        """(label id, template id) of a prompt label pointing at a template now, if any."""
        ...

    async def open_windows(self, serving_endpoint_id: UUID, before: datetime) -> list[datetime]:
        """Starts of the endpoint's open buckets that ended at or before `before`."""
        ...

    async def budget_block(
        self, team: str, model_entry_id: UUID, now: datetime
    ) -> BudgetBlock | None:
        """A budget of the team or model over its hard limit, as the cost service announced."""
        ...
