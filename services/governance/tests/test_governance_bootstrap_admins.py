"""Bootstrap admins: configured names only, bounded, and granted once whoever races."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest
from pydantic import ValidationError

from governance_service.application.bootstrap_admins import BOOTSTRAP_ACTOR, ensure_admins
from governance_service.domain import AGGREGATES, RoleBinding
from governance_service.settings import GovernanceSettings
from llmops_runtime.eventstore import EventStore, register_event_classes


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[EventStore]:
    """An empty event store in a fresh schema."""
    register_event_classes(*AGGREGATES)
    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=6)
    schema = f"gov_{uuid.uuid4().hex[:10]}"
    created = EventStore(pool, schema)
    await created.create()
    yield created
    await pool.execute(f"DROP SCHEMA {schema} CASCADE")
    await pool.close()


class TestSettings:
    def test_names_come_comma_separated_and_trimmed(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("LLMOPS_GOVERNANCE_BOOTSTRAP_ADMINS", " ada, bob ,,ada")
        assert GovernanceSettings().bootstrap_admins == ["ada", "bob"]

    def test_nothing_configured_means_no_admin(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.delenv("LLMOPS_GOVERNANCE_BOOTSTRAP_ADMINS", raising=False)
        assert GovernanceSettings().bootstrap_admins == []

    @pytest.mark.parametrize("value", ["ada smith", "x" * 201, "-rm", "a;b"])
    def test_a_name_that_is_no_actor_name_is_refused(
        self, monkeypatch: pytest.MonkeyPatch, value: str
    ) -> None:
        monkeypatch.setenv("LLMOPS_GOVERNANCE_BOOTSTRAP_ADMINS", value)
        with pytest.raises(ValidationError, match="bootstrap_admins"):
            GovernanceSettings()

    def test_at_most_twenty_admins(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv(
            "LLMOPS_GOVERNANCE_BOOTSTRAP_ADMINS", ",".join(f"a{i}" for i in range(21))
        )
        with pytest.raises(ValidationError, match="bootstrap_admins"):
            GovernanceSettings()

    def test_the_clock_defaults_to_every_minute_and_ninety_days(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        for name in ("REVIEW_CHECK_SECONDS", "REVIEW_PERIOD_SECONDS"):
            monkeypatch.delenv(f"LLMOPS_GOVERNANCE_{name}", raising=False)
        config = GovernanceSettings()
        assert (config.review_check_seconds, config.review_period.days) == (60, 90)


async def test_two_replicas_starting_together_grant_each_admin_once(store: EventStore) -> None:
    granted = await asyncio.gather(*(ensure_admins(store, ["ada", "bob"]) for _ in range(3)))
    assert sorted(n for names in granted for n in names) == ["ada", "bob"]
    for name in ("ada", "bob"):
        history = await store.history(RoleBinding.create_id("actor", name, "admin"))
        assert len(history) == 1


async def test_a_restart_finds_the_admins_and_grants_nothing(store: EventStore) -> None:
    assert await ensure_admins(store, ["ada"]) == ["ada"]
    assert await ensure_admins(store, ["ada"]) == []


async def test_a_revoked_bootstrap_admin_is_granted_again_at_start(store: EventStore) -> None:
    await ensure_admins(store, ["ada"])
    binding_id = RoleBinding.create_id("actor", "ada", "admin")
    binding = await store.load(binding_id, aggregate_type=RoleBinding)
    assert binding is not None
    binding.revoke(actor="root", reason="mistake")
    await store.save(binding)
    assert await ensure_admins(store, ["ada"]) == ["ada"]
    again = await store.load(binding_id, aggregate_type=RoleBinding)
    assert again is not None and again.active and again.granted_by == BOOTSTRAP_ACTOR
