"""Accepted commands, idempotent re-delivery and a crash between DB commit and offset commit."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence

import pytest
from prometheus_client import REGISTRY

from llmops_runtime.commands.outcome import Outcome
from llmops_runtime.eventstore import read_stream

from .conftest import Bus, Counter

pytestmark = pytest.mark.stack


class TestAcceptedCommand:
    async def test_events_are_stored_with_their_metadata_and_the_reply_names_them(
        self, bus: Bus
    ) -> None:
        result = await bus.client.send(
            bus.service, "bus_test.open_counter", {"name": "a"}, timeout=30
        )
        assert result.accepted, result
        assert result.aggregate_id == str(Counter.create_id("a"))
        assert result.new_version == 1
        rows = await read_stream(bus.pool, bus.store.schema, Counter.create_id("a"))
        assert [str(r.event_id) for r in rows] == result.event_ids
        assert rows[0].wire_type == "bus_test.counter.opened"
        assert rows[0].metadata["actor"] == "alice"
        assert rows[0].metadata["command_id"] == result.command_id

    async def test_commands_in_one_batch_see_each_others_effects(self, bus: Bus) -> None:
        await bus.client.send(bus.service, "bus_test.open_counter", {"name": "b"}, key="b")
        results = await asyncio.gather(
            *[
                bus.client.send(
                    bus.service, "bus_test.add_to_counter", {"name": "b", "amount": 1}, key="b"
                )
                for _ in range(50)
            ]
        )
        assert all(r.accepted for r in results)
        assert sorted(r.new_version or 0 for r in results) == list(range(2, 52))
        counter = await bus.store.load(Counter.create_id("b"), aggregate_type=Counter)
        assert counter is not None
        assert counter.total == 50

    async def test_a_domain_rejection_carries_its_code_and_appends_nothing(self, bus: Bus) -> None:
        result = await bus.client.send(
            bus.service, "bus_test.add_to_counter", {"name": "nope", "amount": 1}
        )
        assert (result.status, result.code) == ("rejected", "counter_not_found")
        assert await bus.event_count() == 0


class TestIdempotency:
    async def test_the_same_command_id_three_times_appends_once_and_answers_alike(
        self, bus: Bus
    ) -> None:
        command_id = str(uuid.uuid4())
        results = [
            await bus.client.send(
                bus.service, "bus_test.open_counter", {"name": "c"}, command_id=command_id
            )
            for _ in range(3)
        ]
        assert results[0].accepted
        assert results[0] == results[1] == results[2]
        assert await bus.event_count() == 1

    async def test_the_same_command_id_three_times_in_one_batch_appends_once(
        self, bus: Bus
    ) -> None:
        command_id = str(uuid.uuid4())
        results = await asyncio.gather(
            *[
                bus.client.send(
                    bus.service, "bus_test.open_counter", {"name": "d"}, command_id=command_id
                )
                for _ in range(3)
            ]
        )
        assert results[0].accepted
        assert results[0] == results[1] == results[2]
        assert await bus.event_count() == 1


class TestCrashAfterDatabaseCommit:
    async def test_restart_re_replies_the_stored_result_and_appends_nothing(self, bus: Bus) -> None:
        await bus.stop_consumers()
        crashed = asyncio.Event()

        async def crash(outcomes: Sequence[Outcome]) -> None:
            crashed.set()
            raise RuntimeError("injected crash after the database commit")

        await bus.start_consumer(after_db_commit=crash)
        sending = asyncio.create_task(
            bus.client.send(bus.service, "bus_test.open_counter", {"name": "e"}, timeout=60)
        )
        await asyncio.wait_for(crashed.wait(), 30)
        assert await bus.event_count() == 1
        await bus.stop_consumers()  # the crashed instance never committed its offset
        await bus.start_consumer()
        result = await sending
        assert result.accepted
        assert await bus.event_count() == 1
        replayed = await bus.client.send(
            bus.service, "bus_test.open_counter", {"name": "e"}, command_id=result.command_id
        )
        assert replayed == result


class TestConcurrencyConflicts:
    async def test_a_conflict_is_retried_against_fresh_state(self, bus: Bus) -> None:
        await bus.client.send(bus.service, "bus_test.open_counter", {"name": "r1"})
        result = await bus.client.send(
            bus.service, "bus_test.race_to_counter", {"name": "r1", "races": 1}
        )
        assert result.accepted, result
        counter = await bus.store.load(Counter.create_id("r1"), aggregate_type=Counter)
        assert counter is not None
        assert counter.total == 101
        assert result.new_version == 3
        # Once the batch's append holds the store's lock, no rival can commit before it: the
        # re-run reads fresh state and cannot conflict again, so one retry is what happens.


class TestMetrics:
    async def test_accepted_and_rejected_commands_are_counted(self, bus: Bus) -> None:
        await bus.client.send(bus.service, "bus_test.open_counter", {"name": "m"})
        await bus.client.send(bus.service, "bus_test.add_to_counter", {"name": "x", "amount": 1})
        accepted = REGISTRY.get_sample_value(
            "llmops_commands_accepted_total",
            {"service": bus.service, "command": "bus_test.open_counter"},
        )
        rejected = REGISTRY.get_sample_value(
            "llmops_commands_rejected_total", {"service": bus.service, "code": "counter_not_found"}
        )
        assert (accepted, rejected) == (1.0, 1.0)
        handled = REGISTRY.get_sample_value(
            "llmops_command_handler_seconds_count",
            {"service": bus.service, "command": "bus_test.open_counter"},
        )
        assert handled == 1.0
