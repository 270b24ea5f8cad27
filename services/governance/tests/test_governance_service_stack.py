"""The governance service hosted on the real stack: the review clock and the bootstrap admins."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from uuid import UUID

import asyncpg
import pytest
from aiokafka import AIOKafkaConsumer

from governance_service.application.clock import ManualClock
from governance_service.bootstrap import governance_bootstrap
from governance_service.definition import service_definition
from governance_service.domain import RoleBinding
from governance_service.settings import GovernanceSettings
from llmops_events import governance as contracts
from llmops_runtime.auth import issue_token
from llmops_runtime.client import CommandClient
from llmops_runtime.relay.envelope import EventEnvelope
from llmops_runtime.service import (
    ServiceDefinition,
    ServiceHost,
    Wiring,
    drop_service_role,
    service_role,
)
from llmops_testing.stack import eventually, hosted, read_client

pytestmark = pytest.mark.stack

KEY = "governance-test-signing-key-long-enough-for-hs256"
ISSUER = "llmops-governance-tests"
PERIOD_S = 60.0
T = TypeVar("T")


def definition_for(name: str, config: GovernanceSettings, clock: ManualClock) -> ServiceDefinition:
    """The governance definition under a test's own name (schema, topics), clock and settings."""
    wiring = Wiring(governance_bootstrap(lambda: config, clock))
    return dataclasses.replace(service_definition(wiring, lambda: config), name=name)


@pytest.fixture
def auth(monkeypatch: pytest.MonkeyPatch) -> str:
    """The token of an actor the host accepts."""
    monkeypatch.setenv("LLMOPS_AUTH_HS256_KEYS", json.dumps([KEY]))
    monkeypatch.setenv("LLMOPS_AUTH_ISSUERS", json.dumps([ISSUER]))
    # Every service honours the configured admins; roles themselves are tested elsewhere.
    monkeypatch.setenv("LLMOPS_GOVERNANCE_BOOTSTRAP_ADMINS", "gina")
    return issue_token("gina", KEY, ISSUER)


async def read_published(kafka: str, service: str, count: int) -> list[dict[str, Any]]:
    """The first `count` domain envelopes on the service's events topic (no command audit,
    no bootstrap admin's grant: that comes whenever its task runs)."""
    consumer = AIOKafkaConsumer(
        f"llmops.{service}.events", bootstrap_servers=kafka, auto_offset_reset="earliest"
    )
    await consumer.start()
    try:
        found: list[dict[str, Any]] = []
        while len(found) < count:
            record = await asyncio.wait_for(consumer.getone(), 30)
            envelope = json.loads(record.value or b"{}")
            bootstrap = envelope.get("payload", {}).get("granted_by") == "system:bootstrap"
            if envelope.get("wire_type") != "audit.commands.recorded" and not bootstrap:
                found.append(envelope)
        return found
    finally:
        await consumer.stop()


async def assert_projection_equals_rebuild(
    host: ServiceHost, definition: ServiceDefinition, owner_url: str
) -> None:
    """The live read model equals one rebuilt from the event store into a fresh schema."""
    assert host.resources is not None
    # The store-fed read model (audit_log reads every service's topic; tested on its own).
    [projection] = [p for p in definition.projections if p.name == "governance_read_model"]
    envelopes = [EventEnvelope.from_record(r) for r in await host.resources.store.read_after(0)]
    rebuilt = f"{definition.schema}_rebuilt"
    conn = await asyncpg.connect(owner_url)  # the owner: the service role has no DDL rights
    try:
        await conn.execute(f"CREATE SCHEMA {rebuilt}")
        await projection.create_tables(conn, rebuilt)
        await projection.apply_batch(conn, rebuilt, envelopes)
        for table in projection.tables:
            live = await conn.fetch(f"SELECT * FROM {definition.schema}.{table} ORDER BY 1")
            again = await conn.fetch(f"SELECT * FROM {rebuilt}.{table} ORDER BY 1")
            assert [dict(r) for r in live] == [dict(r) for r in again], table
    finally:
        await conn.execute(f"DROP SCHEMA IF EXISTS {rebuilt} CASCADE")
        await conn.close()


async def test_an_active_policy_goes_overdue_after_its_period_and_a_review_lifts_it(
    database_url: str, kafka_bootstrap: str, unique_name: str, auth: str
) -> None:
    clock = ManualClock(datetime.now(UTC))
    config = GovernanceSettings(review_check_seconds=0.2, review_period_seconds=PERIOD_S)
    definition = definition_for(unique_name, config, clock)
    rules = [{"kind": "prohibited_tokens", "tokens": ["password"]}]
    try:
        async with (
            hosted(definition, database_url, kafka_bootstrap) as host,
            CommandClient(kafka_bootstrap, actor_token=auth) as bus,
            read_client(host, auth) as http,
        ):

            async def send(wire: str, payload: dict[str, Any]) -> str:
                result = await bus.send(unique_name, f"governance.{wire}", payload, timeout=30)
                assert result.accepted, result
                assert result.aggregate_id is not None
                return result.aggregate_id

            pid = await send("draft_policy", {"name": "hygiene", "scope": "model", "rules": rules})
            await send("activate_policy", {"policy_id": pid, "reason": "board decision"})

            async def policy() -> dict[str, Any]:
                response = await http.get(f"/policies/{pid}")
                return response.json() if response.status_code == 200 else {}

            shown = await eventually(policy, lambda p: p.get("status") == "active")
            assert shown["due_at"] == (clock() + timedelta(seconds=PERIOD_S)).isoformat()
            await asyncio.sleep(0.6)  # a few ticks before the period: nothing happens
            assert (await policy())["review_overdue"] is False

            clock.advance(timedelta(seconds=PERIOD_S + 1))
            await eventually(policy, lambda p: p["review_overdue"] is True)
            assert host.resources is not None
            stored = [r.wire_type for r in await host.resources.store.history(UUID(pid))]
            assert stored.count("governance.policy.review_overdue") == 1
            overdue = await eventually(policy, lambda p: p["review_overdue"] is True)
            # Further ticks find it overdue already: recorded once.
            await asyncio.sleep(0.6)
            stored = [r.wire_type for r in await host.resources.store.history(UUID(pid))]
            assert stored.count("governance.policy.review_overdue") == 1
            assert overdue["due_at"] == shown["due_at"]

            await send(
                "review_policy", {"policy_id": pid, "decision": "approved", "notes": "still right"}
            )
            lifted = await eventually(policy, lambda p: p["review_overdue"] is False)
            assert [r["reviewer"] for r in lifted["reviews"]] == ["gina"]
            assert lifted["last_reviewed_at"] == clock().isoformat()

            published = await read_published(kafka_bootstrap, unique_name, 5)
            assert [e["wire_type"] for e in published] == [
                "governance.policy.drafted", "governance.policy.activated",
                "governance.prohibited_tokens.published", "governance.policy.review_overdue",
                "governance.policy.reviewed",
            ]  # fmt: skip
            assert all("timestamp" not in e["payload"] for e in published)
            assert published[2]["payload"]["tokens"] == ["password"]
            await assert_projection_equals_rebuild(host, definition, database_url)
    finally:
        await drop_service_role(database_url, service_role(unique_name))


async def test_bootstrap_admins_are_granted_once_across_restarts(
    database_url: str, kafka_bootstrap: str, unique_name: str, auth: str
) -> None:
    config = GovernanceSettings(bootstrap_admins=["ada", "bob@example.org"])
    clock = ManualClock(datetime.now(UTC))
    ada = RoleBinding.create_id("actor", "ada", "admin")
    try:
        for _restart in range(2):
            definition = definition_for(unique_name, config, clock)
            async with (
                hosted(definition, database_url, kafka_bootstrap) as host,
                read_client(host, auth) as http,
            ):

                async def admins() -> list[dict[str, Any]]:
                    page = await http.get("/role-bindings", params={"role": "admin"})
                    items: list[dict[str, Any]] = page.json()["items"]
                    return items

                found = await eventually(admins, lambda items: len(items) == 2)
                assert host.resources is not None
                history = await host.resources.store.history(ada)
                assert [r.wire_type for r in history] == ["governance.role_binding.granted"]
                assert history[0].metadata["actor"] == "system:bootstrap"
                ready = (await http.get("/readyz")).json()["checks"]
                assert ready["task:bootstrap-admins"] and ready["task:review-clock"]
        assert {(b["subject"], b["actions"][0], b["granted_by"]) for b in found} == {
            ("ada", "*", "system:bootstrap"), ("bob@example.org", "*", "system:bootstrap"),
        }  # fmt: skip
        assert all("LLMOPS_GOVERNANCE_BOOTSTRAP_ADMINS" in b["reason"] for b in found)
    finally:
        await drop_service_role(database_url, service_role(unique_name))


async def test_a_re_grant_goes_out_on_kafka_as_a_grant_with_resolved_actions(
    database_url: str, kafka_bootstrap: str, unique_name: str, auth: str
) -> None:
    config = GovernanceSettings()
    definition = definition_for(unique_name, config, ManualClock(datetime.now(UTC)))
    grant = {"subject_kind": "team", "subject": "nlp", "role": "submitter", "reason": "joins"}
    try:
        async with (
            hosted(definition, database_url, kafka_bootstrap),
            CommandClient(kafka_bootstrap, actor_token=auth) as bus,
        ):
            first = await bus.send(unique_name, "governance.grant_role", grant, timeout=30)
            assert first.accepted, first
            revoke = {"role_binding_id": first.aggregate_id, "reason": "reorg"}
            revoked = await bus.send(unique_name, "governance.revoke_role", revoke, timeout=30)
            assert revoked.accepted, revoked
            again = await bus.send(unique_name, "governance.grant_role", grant, timeout=30)
            assert again.accepted and again.aggregate_id == first.aggregate_id, again
            twice = await bus.send(unique_name, "governance.grant_role", grant, timeout=30)
            assert (twice.accepted, twice.code) == (False, "invalid_transition")
            published = await read_published(kafka_bootstrap, unique_name, 3)
        assert [e["wire_type"] for e in published] == [
            "governance.role_binding.granted", "governance.role_binding.revoked",
            "governance.role_binding.granted",
        ]  # fmt: skip
        regrant = published[2]["payload"]
        assert regrant == published[0]["payload"] | {"granted_by": "gina", "reason": "joins"}
        assert regrant["actions"] == ["amend", "read", "register", "submit"]
        assert set(regrant) == set(contracts.RoleBindingGranted.model_fields)
    finally:
        await drop_service_role(database_url, service_role(unique_name))
