"""Builders of the training tests: a fake read model and valid submissions."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from llmops_runtime.budgets import BudgetBlock

MODEL = uuid4()
DATASET = uuid4()
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@dataclass
class FakeReads:
    """What the service would have projected: approvals and retry overrides."""

    models: dict[UUID, str] = field(default_factory=lambda: {MODEL: "approved"})
    datasets: set[UUID] = field(default_factory=lambda: {DATASET})
    overrides: dict[UUID, int] = field(default_factory=dict)
    blocked: dict[str, BudgetBlock] = field(default_factory=dict)

    async def model_status(self, model_entry_id: UUID) -> str | None:
        return self.models.get(model_entry_id)

    async def approved_dataset_ids(self, dataset_ids: Collection[UUID]) -> set[str]:
        return {str(d) for d in dataset_ids if d in self.datasets}

    async def retry_override(self, training_job_id: UUID) -> int | None:
        return self.overrides.get(training_job_id)

    async def budget_block(
        self, team: str, model_entry_id: UUID, now: datetime
    ) -> BudgetBlock | None:
        block = self.blocked.get(team)
        return block if block is not None and block.period_end > now else None


def submission(**overrides: Any) -> dict[str, Any]:
    """A valid training.submit_job payload."""
    payload: dict[str, Any] = {
        "model_entry_id": str(MODEL), "dataset_ids": [str(DATASET)], "job_type": "finetune",
        "hyperparameters": {"lr": 0.001}, "resource_profile": {"gpu_count": 2, "memory_gb": 16},
        "command": ["python", "train.py"], "owner_team": "nlp",
    }  # fmt: skip
    return payload | overrides
