"""A stored result answers only the same actor's same command; retryable refusals are not frozen."""

from __future__ import annotations

import uuid

import pytest

from llmops_runtime.auth import issue_token

from .conftest import TEST_ISSUER, Bus, token

pytestmark = pytest.mark.stack

FORGING_KEY = "not-the-key-but-long-enough-for-hs256!"


async def open_counter(
    bus: Bus, name: str, command_id: str, actor_token: str | None = None
) -> object:
    return await bus.client.send(
        bus.service,
        "bus_test.open_counter",
        {"name": name},
        command_id=command_id,
        actor_token=actor_token,
        key=name,
        timeout=15,
    )


class TestAStoredResultIsNotHijacked:
    async def test_another_actor_reusing_a_command_id_is_refused_and_audited(
        self, bus: Bus
    ) -> None:
        command_id = str(uuid.uuid4())
        first = await open_counter(bus, "a", command_id)
        assert getattr(first, "accepted", False)
        reused = await open_counter(bus, "a", command_id, actor_token=token("mallory"))
        assert getattr(reused, "code", None) == "command_id_conflict"
        assert getattr(reused, "event_ids", None) == []
        audited = [r for r in await bus.audit() if r["command_id"] == command_id]
        assert [(r["actor"], r["code"]) for r in audited] == [
            ("alice", None),
            ("mallory", "command_id_conflict"),
        ]

    async def test_the_same_id_with_another_payload_is_refused(self, bus: Bus) -> None:
        command_id = str(uuid.uuid4())
        assert getattr(await open_counter(bus, "b", command_id), "accepted", False)
        other = await open_counter(bus, "b-other", command_id)
        assert getattr(other, "code", None) == "command_id_conflict"
        assert await bus.event_count() == 1

    async def test_the_same_id_with_another_command_type_is_refused(self, bus: Bus) -> None:
        command_id = str(uuid.uuid4())
        assert getattr(await open_counter(bus, "c", command_id), "accepted", False)
        other = await bus.client.send(
            bus.service,
            "bus_test.add_to_counter",
            {"name": "c", "amount": 1},
            command_id=command_id,
            key="c",
        )
        assert other.code == "command_id_conflict"

    async def test_the_same_command_again_gets_the_stored_result(self, bus: Bus) -> None:
        command_id = str(uuid.uuid4())
        first = await open_counter(bus, "d", command_id)
        again = await open_counter(bus, "d", command_id)
        assert again == first

    async def test_the_token_is_verified_before_a_stored_result_is_returned(self, bus: Bus) -> None:
        command_id = str(uuid.uuid4())
        assert getattr(await open_counter(bus, "e", command_id), "accepted", False)
        forged = issue_token("alice", FORGING_KEY, TEST_ISSUER)
        replay = await open_counter(bus, "e", command_id, actor_token=forged)
        assert getattr(replay, "code", None) == "unauthenticated"


class TestRetryableResultsAreDecidedAgain:
    async def test_a_forged_command_does_not_freeze_the_genuine_one(self, bus: Bus) -> None:
        command_id = str(uuid.uuid4())
        forged = issue_token("alice", FORGING_KEY, TEST_ISSUER)
        refused = await open_counter(bus, "f", command_id, actor_token=forged)
        assert getattr(refused, "code", None) == "unauthenticated"
        genuine = await open_counter(bus, "f", command_id)
        assert getattr(genuine, "accepted", False), genuine

    async def test_an_expired_token_retried_with_a_fresh_one_is_accepted(self, bus: Bus) -> None:
        command_id = str(uuid.uuid4())
        expired = await open_counter(bus, "g", command_id, actor_token=token(ttl_s=-60))
        assert getattr(expired, "code", None) == "unauthenticated"
        assert getattr(await open_counter(bus, "g", command_id), "accepted", False)

    async def test_a_refusal_the_service_declares_retryable_is_decided_again(
        self, bus: Bus
    ) -> None:
        # counter_not_found is declared retryable by the test service (another service's lag).
        command_id = str(uuid.uuid4())
        add = {"name": "h", "amount": 2}
        early = await bus.client.send(
            bus.service, "bus_test.add_to_counter", add, command_id=command_id, key="h"
        )
        assert early.code == "counter_not_found"
        assert getattr(await open_counter(bus, "h", str(uuid.uuid4())), "accepted", False)
        later = await bus.client.send(
            bus.service, "bus_test.add_to_counter", add, command_id=command_id, key="h"
        )
        assert later.accepted, later

    async def test_a_refusal_not_declared_retryable_stays_answered(self, bus: Bus) -> None:
        assert getattr(await open_counter(bus, "i", str(uuid.uuid4())), "accepted", False)
        command_id = str(uuid.uuid4())
        first = await open_counter(bus, "i", command_id)
        assert getattr(first, "code", None) == "counter_exists"
        stored = await bus.pool.fetchval(
            f"SELECT count(*) FROM {bus.store.schema}.command_results WHERE command_id = $1",
            command_id,
        )
        assert stored == 1
