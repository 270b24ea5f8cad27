"""What the catalog's handlers read from its projections of other services' events."""

from __future__ import annotations

from collections.abc import Collection
from typing import Protocol
from uuid import UUID

from catalog_service.domain import EvaluationSummary, GoverningPolicy


class CatalogReadModel(Protocol):
    """Local knowledge of datasets, evaluation runs and policies, learned from their events."""

    async def known_dataset_ids(self, dataset_ids: Collection[str]) -> set[str]:
        """The subset of dataset_ids whose dataset version this service has seen."""
        ...

    async def training_job_succeeded(self, training_job_id: UUID) -> bool:
        """Whether the training service published this job's success (as learned so far)."""
        ...

    async def evaluations_of(self, model_version_id: str) -> list[EvaluationSummary]:
        """Every evaluation run of the model version learned so far."""
        ...

    async def governing_policies(self) -> list[GoverningPolicy]:
        """The active governance policies of the model scope."""
        ...
