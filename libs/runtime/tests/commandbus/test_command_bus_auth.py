"""Missing, forged, expired and wrongly issued actor tokens are rejected and audited."""

from __future__ import annotations

import pytest

from llmops_runtime.auth import issue_token

from .conftest import TEST_ISSUER, TEST_KEY, Bus, token

pytestmark = pytest.mark.stack

OPEN = "bus_test.open_counter"


class TestUnauthenticated:
    @pytest.mark.parametrize(
        ("case", "bad_token"),
        [
            ("forged", token("mallory", key="another-key-another-key-another-key!!")),
            ("expired", token("bob", ttl_s=-120)),
            ("wrong issuer", issue_token("carol", TEST_KEY, "someone-else", 600)),
            ("garbage", "not.a.jwt"),
        ],
    )
    async def test_a_bad_token_is_rejected_audited_and_appends_nothing(
        self, bus: Bus, case: str, bad_token: str
    ) -> None:
        result = await bus.client.send(bus.service, OPEN, {"name": "n"}, actor_token=bad_token)
        assert (result.status, result.code) == ("rejected", "unauthenticated"), case
        assert await bus.event_count() == 0
        [row] = await bus.audit()
        assert row["code"] == "unauthenticated"
        assert row["actor_verified"] is False
        assert row["command_id"] == result.command_id
        claimed = {"forged": "mallory", "expired": "bob", "wrong issuer": "carol"}.get(case)
        assert row["actor"] == claimed

    async def test_a_missing_token_is_rejected(self, bus: Bus) -> None:
        bus.client.actor_token = None
        result = await bus.client.send(bus.service, OPEN, {"name": "n"})
        assert result.code == "unauthenticated"

    async def test_a_valid_token_names_the_actor_in_audit_and_events(self, bus: Bus) -> None:
        result = await bus.client.send(
            bus.service,
            OPEN,
            {"name": "ok"},
            actor_token=issue_token("dave", TEST_KEY, TEST_ISSUER),
        )
        assert result.accepted
        [row] = await bus.audit()
        assert (row["actor"], row["actor_verified"], row["status"]) == ("dave", True, "accepted")
