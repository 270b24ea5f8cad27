"""Projection of the dataset service's events: which dataset versions are approved snapshots."""

from __future__ import annotations

from llmops_events import dataset as contracts
from llmops_runtime.projections.projector import Projector
from llmops_runtime.projections.rows import Rows
from llmops_runtime.relay.envelope import EventEnvelope

datasets = Projector()
TABLE = "benchmark_datasets"
KEY = ("dataset_version_id",)


@datasets.on(contracts.DatasetVersionRegistered)
async def registered(rows: Rows, e: contracts.DatasetVersionRegistered, env: EventEnvelope) -> None:
    """A dataset version exists, not approved yet (kept if its approval came first)."""
    row = e.model_dump(include={"dataset_version_id", "name", "version", "storage_uri"})
    await rows.insert(TABLE, row, on_conflict=KEY)


@datasets.on(contracts.DatasetVersionApproved)
async def approved(rows: Rows, e: contracts.DatasetVersionApproved, env: EventEnvelope) -> None:
    """An immutable snapshot: its storage URI as approved."""
    row = e.model_dump(include={"dataset_version_id", "name", "version", "storage_uri"})
    await rows.upsert(TABLE, row | {"approved_at": e.approved_at}, key=KEY)
