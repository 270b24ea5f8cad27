"""The local broker: its configuration, and a clear error when it cannot start."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from llmops_devstack.kafka.broker import KafkaStartError, new_cluster_id, start_broker
from llmops_devstack.kafka.config import BrokerLayout, server_properties
from llmops_devstack.paths import cache_dir


def properties(tmp_path: Path) -> dict[str, str]:
    text = server_properties(BrokerLayout(tmp_path, 9092, 9093))
    return dict(line.split("=", 1) for line in text.splitlines())


class TestBrokerConfiguration:
    def test_topics_are_never_created_implicitly(self, tmp_path: Path) -> None:
        assert properties(tmp_path)["auto.create.topics.enable"] == "false"

    def test_internal_topics_fit_a_single_node(self, tmp_path: Path) -> None:
        config = properties(tmp_path)
        for key in (
            "offsets.topic.replication.factor",
            "transaction.state.log.replication.factor",
            "transaction.state.log.min.isr",
            "share.coordinator.state.topic.replication.factor",
            "share.coordinator.state.topic.min.isr",
        ):
            assert config[key] == "1", key

    def test_it_listens_on_loopback_only(self, tmp_path: Path) -> None:
        config = properties(tmp_path)
        assert config["listeners"] == "PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093"
        assert config["advertised.listeners"] == "PLAINTEXT://127.0.0.1:9092"

    def test_anew_cluster_id_never_starts_with_a_dash(self) -> None:
        ids = {new_cluster_id() for _ in range(500)}
        assert len(ids) == 500
        assert all(len(i) == 22 and not i.startswith("-") for i in ids)


@pytest.mark.stack
class TestBrokerStartFailure:
    def test_a_broker_that_cannot_start_fails_with_the_tail_of_its_log(
        self, tmp_path: Path
    ) -> None:
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            controller_port = taken.getsockname()[1]
            free = socket.socket()
            free.bind(("127.0.0.1", 0))
            port = free.getsockname()[1]
            free.close()
            directory = tmp_path / "kafka"
            directory.mkdir()
            (directory / "ports.json").write_text(
                json.dumps({"port": port, "controller_port": controller_port})
            )
            with pytest.raises(KafkaStartError) as failure:
                start_broker(directory, cache_dir())
        message = str(failure.value)
        assert f"127.0.0.1:{port}" in message
        assert "Broker log tail" in message
        assert "Address already in use" in message or "BindException" in message
