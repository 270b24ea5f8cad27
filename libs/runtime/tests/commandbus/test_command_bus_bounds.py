"""Intake stores nothing it has not bounded; one unstorable command never holds up the rest."""

from __future__ import annotations

import asyncio
import json
import uuid

import pytest

from llmops_runtime.auth import issue_token
from llmops_runtime.commands import commands_topic

from .conftest import TEST_ISSUER, TEST_KEY, Bus
from .test_command_bus_bad_input import KEY, envelope, send_json
from .test_command_bus_hostile_input import consumer_alive

pytestmark = pytest.mark.stack

OTHER_KEY = "another-partition"


async def answered_within_ten_seconds(bus: Bus, name: str) -> None:
    """A valid command on another key is answered, and the service is still running."""
    result = await bus.client.send(
        bus.service, "bus_test.open_counter", {"name": name}, key=OTHER_KEY, timeout=10
    )
    assert result.accepted, result
    assert consumer_alive(bus)


class TestIdsAreBounded:
    async def test_a_ten_kilobyte_command_id_header_is_refused_without_being_stored(
        self, bus: Bus
    ) -> None:
        body = envelope(bus, "bus_test.open_counter", {"name": "long-id"})
        result = await bus.client.send_raw(
            commands_topic(bus.service),
            json.dumps(body).encode(),
            correlation_id=body["correlation_id"],
            command_id="c" * 10_000,
            key=KEY,
            timeout=10,
        )
        assert (result.code, result.command_id) == ("invalid_envelope", None)
        assert "10000 characters" in (result.message or "")
        await answered_within_ten_seconds(bus, "after-long-id")
        stored = await bus.pool.fetchval(
            f"SELECT count(*) FROM {bus.store.schema}.command_results"
            " WHERE length(command_id) > 200"
        )
        assert stored == 0
        assert await bus.event_count() == 1

    async def test_a_ten_kilobyte_command_id_header_on_an_unreadable_body(self, bus: Bus) -> None:
        result = await bus.client.send_raw(
            commands_topic(bus.service), b"{not json", command_id="c" * 10_000, key=KEY, timeout=10
        )
        assert (result.code, result.command_id) == ("invalid_envelope", None)
        await answered_within_ten_seconds(bus, "after-long-id-unreadable")

    @pytest.mark.parametrize("command_id", ["x" * 201, "with space", "new\nline", "-leading"])
    async def test_a_body_command_id_outside_the_pattern_is_refused(
        self, bus: Bus, command_id: str
    ) -> None:
        body = envelope(bus, "bus_test.open_counter", {"name": "bad-id"}, command_id=command_id)
        result = await send_json(bus, {**body})
        assert result.code == "invalid_envelope"
        assert await bus.event_count() == 0
        await answered_within_ten_seconds(bus, f"after-{uuid.uuid4().hex}")

    async def test_a_ten_kilobyte_correlation_id_is_refused(self, bus: Bus) -> None:
        body = envelope(bus, "bus_test.open_counter", {"name": "long-corr"})
        body["correlation_id"] = "k" * 10_000
        producer_result = await bus.client.send_raw(
            commands_topic(bus.service),
            json.dumps(body).encode(),
            command_id=body["command_id"],
            key=KEY,
            timeout=10,
        )
        assert producer_result.code == "invalid_envelope"
        await answered_within_ten_seconds(bus, "after-long-correlation")


class TestRefusedTokensAreCleanedForTheAudit:
    @pytest.mark.parametrize(
        ("sub", "audited"),
        [("s" * 10_000, "s" * 200), ("ev\x00il\x1b[31m", "evil[31m")],
        ids=["ten-kilobytes", "nul-and-escape"],
    )
    async def test_a_forged_token_s_sub_is_cleaned_before_the_audit(
        self, bus: Bus, sub: str, audited: str
    ) -> None:
        forged = issue_token(sub, "not-the-key-but-long-enough-for-hs256!", TEST_ISSUER)
        body = envelope(bus, "bus_test.open_counter", {"name": "forged"}, actor_token=forged)
        result = await send_json(bus, body)
        assert result.code == "unauthenticated"
        await answered_within_ten_seconds(bus, "after-forged")
        [refused] = [r for r in await bus.audit() if r["code"] == "unauthenticated"]
        assert (refused["actor"], refused["actor_verified"]) == (audited, False)

    async def test_a_signed_token_with_a_ten_kilobyte_sub_is_unauthenticated(
        self, bus: Bus
    ) -> None:
        signed = issue_token("s" * 10_000, TEST_KEY, TEST_ISSUER)
        body = envelope(bus, "bus_test.open_counter", {"name": "huge-sub"}, actor_token=signed)
        result = await send_json(bus, body)
        assert result.code == "unauthenticated"
        assert "sub claim" in (result.message or "")
        await answered_within_ten_seconds(bus, "after-huge-sub")


class TestAnUnstorableCommandIsRejectedAlone:
    async def _refuse(self, bus: Bus, table: str, column: str, value: str) -> None:
        # A real database refusal (not a timeout) for exactly one command's row.
        s = bus.store.schema
        await bus.pool.execute(
            f"""
            CREATE FUNCTION {s}.refuse_one() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.{column} = '{value}' THEN
                    RAISE EXCEPTION 'refused for the test' USING ERRCODE = 'check_violation';
                END IF;
                RETURN NEW;
            END; $$;
            CREATE TRIGGER refuse_one BEFORE INSERT ON {s}.{table}
                FOR EACH ROW EXECUTE FUNCTION {s}.refuse_one();
            """
        )

    async def _send_batch(self, bus: Bus, poison_id: str) -> list[object]:
        sends = [
            bus.client.send(
                bus.service, "bus_test.open_counter", {"name": f"n{i}"}, key=KEY, timeout=10
            )
            for i in range(5)
        ]
        poison = bus.client.send(
            bus.service,
            "bus_test.open_counter",
            {"name": "poison"},
            key=KEY,
            command_id=poison_id,
            timeout=10,
        )
        return list(await asyncio.gather(poison, *sends))

    async def test_a_refused_result_row_rejects_only_its_command(self, bus: Bus) -> None:
        poison_id = f"poison-{uuid.uuid4().hex}"
        await self._refuse(bus, "command_results", "command_id", poison_id)
        poison, *others = await self._send_batch(bus, poison_id)
        assert getattr(poison, "code", None) == "internal_error"
        assert all(getattr(o, "accepted", False) for o in others)
        await answered_within_ten_seconds(bus, "after-unstorable-result")
        # The poison command's events were rolled back with its result; its refusal is audited.
        assert await bus.event_count() == 6
        audited = [r for r in await bus.audit() if r["command_id"] == poison_id]
        assert [r["code"] for r in audited] == ["internal_error"]
        # ...and is in the audit events too, the rolled-back acceptance not.
        events = [c for c in await bus.audited() if c["command_id"] == poison_id]
        assert [(c["result"], c["code"]) for c in events] == [("rejected", "internal_error")]

    async def test_a_refused_audit_row_rejects_only_its_command(self, bus: Bus) -> None:
        poison_id = f"poison-{uuid.uuid4().hex}"
        await self._refuse(bus, "command_audit", "command_id", poison_id)
        poison, *others = await self._send_batch(bus, poison_id)
        assert getattr(poison, "code", None) == "internal_error"
        assert all(getattr(o, "accepted", False) for o in others)
        await answered_within_ten_seconds(bus, "after-unstorable-audit")
        assert await bus.event_count() == 6
        # Its own row cannot be written; a bare one records that a refusal happened.
        bare = [r for r in await bus.audit() if r["command_id"] is None]
        assert [(r["status"], r["code"]) for r in bare] == [("rejected", "internal_error")]
        bare_events = [c for c in await bus.audited() if c["command_id"] is None]
        assert [(c["result"], c["code"]) for c in bare_events] == [("rejected", "internal_error")]
