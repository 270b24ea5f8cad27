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


SCRAM_MECHANISM = "SCRAM-SHA-512"
AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer"


@dataclass(frozen=True)
class BrokerSecurity:
    """SASL on both listeners and the StandardAuthorizer, with one super user (the broker).

    Clients authenticate with SCRAM-SHA-512 on the client listener; the credentials are
    bootstrapped into the KRaft metadata when the storage is formatted. The controller listener
    uses SASL/PLAIN with a static JAAS user, because a KRaft controller cannot read SCRAM
    credentials from the metadata it is itself serving.
    """

    admin_user: str
    admin_password: str

    def jaas_scram(self) -> str:
        return (
            "org.apache.kafka.common.security.scram.ScramLoginModule required "
            f'username="{self.admin_user}" password="{self.admin_password}";'
        )

    def jaas_plain(self) -> str:
        return (
            "org.apache.kafka.common.security.plain.PlainLoginModule required "
            f'username="{self.admin_user}" password="{self.admin_password}" '
            f'user_{self.admin_user}="{self.admin_password}";'
        )


def secure_properties(layout: BrokerLayout, security: BrokerSecurity) -> str:
    """Settings that replace the plaintext listeners with SASL ones and turn on ACLs."""
    settings = {
        "listeners": f"CLIENT://127.0.0.1:{layout.port},"
        f"CONTROLLER://127.0.0.1:{layout.controller_port}",
        "advertised.listeners": f"CLIENT://127.0.0.1:{layout.port}",
        "listener.security.protocol.map": "CLIENT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT",
        "inter.broker.listener.name": "CLIENT",
        "sasl.mechanism.inter.broker.protocol": SCRAM_MECHANISM,
        "sasl.mechanism.controller.protocol": "PLAIN",
        "listener.name.client.sasl.enabled.mechanisms": SCRAM_MECHANISM,
        "listener.name.client.scram-sha-512.sasl.jaas.config": security.jaas_scram(),
        "listener.name.controller.sasl.enabled.mechanisms": "PLAIN",
        "listener.name.controller.plain.sasl.jaas.config": security.jaas_plain(),
        "authorizer.class.name": AUTHORIZER,
        "super.users": f"User:{security.admin_user}",
        "allow.everyone.if.no.acl.found": "false",
    }
    return "".join(f"{key}={value}\n" for key, value in settings.items())


def write_config(layout: BrokerLayout, security: BrokerSecurity | None = None) -> None:
    """Write server.properties and the log4j2 configuration into the broker's folder."""
    layout.directory.mkdir(parents=True, exist_ok=True)
    properties = server_properties(layout)
    if security is not None:
        # Later keys win in a Java properties file: the secure listeners replace the plain ones.
        properties += secure_properties(layout, security)
    layout.properties_file.write_text(properties)
    layout.log4j_file.write_text(_LOG4J2)
