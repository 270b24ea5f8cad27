"""Builders of the serving tests: a fake read model and valid deployments."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from llmops_runtime.budgets import BudgetBlock
from serving_service.domain.deployment_rules import KnownModel

MODEL, PREVIOUS, OTHER = uuid4(), uuid4(), uuid4()
NOW = datetime(2026, 12, 1, 12, 0, 30, tzinfo=UTC)


@dataclass
class FakeReads:
    """What the service would have projected from the catalog and prompt services."""

    models: dict[UUID, KnownModel] = field(default_factory=lambda: {
        MODEL: KnownModel(str(MODEL), "support-llm", "2.0.0", "approved"),
        PREVIOUS: KnownModel(str(PREVIOUS), "support-llm", "1.0.0", "approved"),
        OTHER: KnownModel(str(OTHER), "other-llm", "1.0.0", "approved"),
    })  # fmt: skip
    aliases: dict[tuple[str, str], UUID] = field(default_factory=dict)
    labels: dict[tuple[str, str], tuple[UUID, UUID]] = field(default_factory=dict)
    windows: list[datetime] = field(default_factory=list)
    blocked: dict[str, BudgetBlock] = field(default_factory=dict)

    async def model(self, model_entry_id: UUID) -> KnownModel | None:
        return self.models.get(UUID(str(model_entry_id)))

    async def alias_target(self, name: str, alias: str) -> UUID | None:
        return self.aliases.get((name, alias))

    async def prompt_label(self, name: str, label: str) -> tuple[UUID, UUID] | None:
        return self.labels.get((name, label))

    async def open_windows(self, serving_endpoint_id: UUID, before: datetime) -> list[datetime]:
        return list(self.windows)

    async def budget_block(
        self, team: str, model_entry_id: UUID, now: datetime
    ) -> BudgetBlock | None:
        block = self.blocked.get(team)
        return block if block is not None and block.period_end > now else None


def deployment(**overrides: Any) -> dict[str, Any]:
    """A valid serving.deploy_endpoint payload (PROD, with a rollback plan)."""
    payload: dict[str, Any] = {
        "model_entry_id": str(MODEL), "environment": "PROD",
        "route": "http://127.0.0.1:9000/v1", "min_replicas": 2, "max_replicas": 8,
        "autoscale_policy": {"triggers": [
            {"metric": "gpu_utilization", "threshold": 0.8},
            {"metric": "latency_p95_ms", "threshold": 500},
            {"metric": "error_rate", "threshold": 0.05},
        ]},
        "rollback_plan": {"model_entry_id": str(PREVIOUS), "backup_reference": "s3://b/cfg"},
        "owner_team": "nlp",
    }  # fmt: skip
    return payload | overrides
