"""The configuration of one combined broker+controller node on loopback."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

_LOG4J2 = """\
status = warn
appender.out.type = Console
appender.out.name = STDOUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.out.ref = STDOUT
logger.raft.name = kafka.server.KafkaRaftServer
logger.raft.level = INFO
"""


@dataclass(frozen=True)
class BrokerLayout:
    """Ports and folders of one local broker."""

    directory: Path
    port: int
    controller_port: int

    @property
    def data_dir(self) -> Path:
        return self.directory / "data"

    @property
    def properties_file(self) -> Path:
        return self.directory / "server.properties"

    @property
    def log4j_file(self) -> Path:
        return self.directory / "log4j2.properties"

    @property
    def log_file(self) -> Path:
        return self.directory / "broker.log"

    @property
    def bootstrap_servers(self) -> str:
        return f"127.0.0.1:{self.port}"


def server_properties(layout: BrokerLayout) -> str:
    """A KRaft single-node configuration: replication 1 and auto-creation off."""
    settings = {
        "process.roles": "broker,controller",
        "node.id": "1",
        "listeners": f"PLAINTEXT://127.0.0.1:{layout.port},"
        f"CONTROLLER://127.0.0.1:{layout.controller_port}",
        "advertised.listeners": f"PLAINTEXT://127.0.0.1:{layout.port}",
        "controller.listener.names": "CONTROLLER",
        "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "controller.quorum.bootstrap.servers": f"127.0.0.1:{layout.controller_port}",
        "log.dirs": str(layout.data_dir),
        # One node: the internal topics' default replication of 3 would break groups and
        # transactions.
        "offsets.topic.replication.factor": "1",
        "offsets.topic.num.partitions": "8",
        "transaction.state.log.replication.factor": "1",
        "transaction.state.log.min.isr": "1",
        "transaction.state.log.num.partitions": "8",
        "share.coordinator.state.topic.replication.factor": "1",
        "share.coordinator.state.topic.min.isr": "1",
        "auto.create.topics.enable": "false",
        "group.initial.rebalance.delay.ms": "0",
        "log.cleaner.dedupe.buffer.size": "2097152",
        "num.network.threads": "2",
        "num.io.threads": "4",
        "num.partitions": "1",
    }
    return "".join(f"{key}={value}\n" for key, value in settings.items())


def write_config(layout: BrokerLayout) -> None:
    """Write server.properties and the log4j2 configuration into the broker's folder."""
    layout.directory.mkdir(parents=True, exist_ok=True)
    layout.properties_file.write_text(server_properties(layout))
    layout.log4j_file.write_text(_LOG4J2)
