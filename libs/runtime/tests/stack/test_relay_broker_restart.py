"""The relay rides out a broker restart (a broker of its own, so other tests keep theirs)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest

from llmops_devstack.kafka.broker import start_broker
from llmops_devstack.paths import cache_dir
from llmops_devstack.ports import accepts_connections
from llmops_runtime.eventstore import EventStore
from llmops_runtime.relay import OutboxRelay, ensure_topics

pytestmark = pytest.mark.stack


class RestartableBroker:
    """A broker process that can be stopped and started again with the same command and data."""

    def __init__(self, folder: Path) -> None:
        first = start_broker(folder, cache_dir(), heap="512m")
        self.bootstrap = first.bootstrap_servers
        self.port = int(self.bootstrap.rsplit(":", 1)[1])
        # Re-running the same java command skips storage formatting, which a restart must not redo.
        self.command = Path(f"/proc/{first.pid}/cmdline").read_bytes().decode().split("\0")[:-1]
        self.log = first.log_file
        self.process: subprocess.Popen[bytes] | int = first.pid

    def stop(self) -> None:
        """SIGTERM and wait for the process to exit."""
        pid = self.process if isinstance(self.process, int) else self.process.pid
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if isinstance(self.process, subprocess.Popen):
                if self.process.poll() is not None:
                    return
            elif not Path(f"/proc/{pid}").exists():
                return
            time.sleep(0.1)
        os.kill(pid, signal.SIGKILL)

    def start(self) -> None:
        """Start the same broker again and wait for its listener."""
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                self.command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + 60
        while not accepts_connections(self.port):
            if time.monotonic() > deadline:
                raise TimeoutError("the restarted broker did not listen")
            time.sleep(0.2)


@pytest.fixture
async def own_broker(tmp_path: Path) -> AsyncIterator[RestartableBroker]:
    """A broker that this test may stop and start again (same folder, same port)."""
    broker = await asyncio.to_thread(RestartableBroker, tmp_path / "kafka")
    try:
        yield broker
    finally:
        await asyncio.to_thread(broker.stop)


class TestBrokerRestart:
    async def test_events_appended_while_the_broker_is_down_arrive_after_it_returns(
        self, store: EventStore, pool: asyncpg.Pool, own_broker: RestartableBroker, kit
    ) -> None:
        bootstrap = own_broker.bootstrap
        topic = f"llmops.{store.schema}.events"
        await ensure_topics(bootstrap, [topic], partitions=1)
        relay = OutboxRelay(pool, store.schema, topic, bootstrap, poll_interval_s=0.2)
        task = asyncio.create_task(relay.run())
        try:
            await kit.save_tallies(store, 3, increments=0)
            assert len(await kit.read_topic(bootstrap, topic, 3)) >= 3
            await asyncio.to_thread(own_broker.stop)
            await kit.save_tallies(store, 4, increments=0)
            await asyncio.sleep(3)  # the relay meets the outage and backs off
            await asyncio.to_thread(own_broker.start)
            records = await kit.read_topic(bootstrap, topic, 7, timeout_s=90)
            for _ in range(300):  # the position is written right after the broker's ack
                if relay.position == 7:
                    break
                await asyncio.sleep(0.1)
        finally:
            await asyncio.wait_for(kit.stop(task), 30)
        assert len({dict(r.headers)["event_id"] for r in records}) == 7
        assert relay.position == 7
