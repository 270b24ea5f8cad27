"""A recorded policy violation deprecates an approved model version, once, in a real database."""

from datetime import UTC, datetime
from uuid import UUID, uuid4

import asyncpg

from catalog_service.domain import EvaluationSummary, ModelVersion
from catalog_service.projections import projections
from catalog_service.projections.violations import GOVERNANCE_ACTOR, violations
from llmops_events.governance import PolicyViolationRecorded
from llmops_runtime.eventstore import EventStore
from llmops_runtime.eventstore.reading import read_stream
from llmops_runtime.projections.projector import envelope_of

from .conftest import MODEL_CARD

AT = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def _version(name: str, *, approved: bool) -> ModelVersion:
    version = ModelVersion.register(
        name=name, version="1.0.0", type="base", owner_team="ml", metadata=dict(MODEL_CARD),
        storage_uri=None, lineage_dataset_ids=[], known_dataset_ids=set(), actor="alice",
    )  # fmt: skip
    if approved:
        version.submit(actor="alice", reason="ready")
        runs = [
            EvaluationSummary(str(uuid4()), str(version.id), t, "completed", AT.isoformat())
            for t in ("automated", "human")
        ]
        version.approve(reviewer="rita", reason="good", evaluations=runs)
    return version


def _violation(version_id: UUID) -> PolicyViolationRecorded:
    return PolicyViolationRecorded(
        policy_id=uuid4(), violation_id=uuid4(), resource_type="model_version",
        resource_id=version_id, details="trained on unlicensed data", recorded_by="compliance",
    )  # fmt: skip


async def _apply(conn: asyncpg.Connection, schema: str, event: PolicyViolationRecorded) -> None:
    async with conn.transaction():
        await violations.apply_batch(conn, schema, [envelope_of(event, 1, AT)])


async def test_a_violation_deprecates_an_approved_version_once(
    database_url: str, unique_name: str
) -> None:
    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=2)
    store = EventStore(pool, unique_name)
    try:
        await store.create()
        approved, draft = _version("bot", approved=True), _version("other", approved=False)
        await store.save(approved, draft)
        async with pool.acquire() as conn:
            for projection in projections():
                await projection.create_tables(conn, unique_name)
            recorded = _violation(approved.id)
            await _apply(conn, unique_name, recorded)
            await _apply(conn, unique_name, recorded)  # redelivered: nothing more happens
            await _apply(conn, unique_name, _violation(draft.id))
            history = await read_stream(conn, unique_name, approved.id)
            rows = await conn.fetch(
                f"SELECT model_version_id, deprecated FROM {unique_name}.policy_violations"
            )
        assert [r.wire_type for r in history][-1] == "catalog.model_version.deprecated"
        assert sum(r.wire_type.endswith(".deprecated") for r in history) == 1
        assert history[-1].metadata["actor"] == GOVERNANCE_ACTOR
        assert str(recorded.violation_id) in history[-1].payload["reason"]
        reloaded = await store.load(approved.id, aggregate_type=ModelVersion)
        assert reloaded is not None and reloaded.status == "deprecated"
        # A draft is not deprecated (the spec's transition starts from approved); both are kept.
        assert {(r["model_version_id"], r["deprecated"]) for r in rows} == {
            (approved.id, True),
            (draft.id, False),
        }
    finally:
        await pool.execute(f"DROP SCHEMA {unique_name} CASCADE")
        await pool.close()
