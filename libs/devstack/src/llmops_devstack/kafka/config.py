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


@dataclass(frozen=True)
class ClusterMember:
    """One node's place in a cluster: its id and every voter's (node id, controller port)."""

    node_id: int
    voters: tuple[tuple[int, int], ...]

    @property
    def replication(self) -> int:
        """The replication factor of every topic: 3, or fewer nodes if there are fewer."""
        return min(3, len(self.voters))

    @property
    def min_insync(self) -> int:
        """Acknowledged writes are on this many replicas: survives one node lost of three."""
        return max(1, self.replication - 1)


def cluster_properties(layout: BrokerLayout, member: ClusterMember) -> str:
    """A node of a KRaft cluster on loopback (static voters): every topic replicated
    `member.replication` times, `min.insync.replicas` one fewer."""
    replicated = str(member.replication)
    min_isr = str(member.min_insync)
    voters = ",".join(f"{node}@127.0.0.1:{port}" for node, port in member.voters)
    settings = dict(line.split("=", 1) for line in server_properties(layout).splitlines())
    del settings["controller.quorum.bootstrap.servers"]
    settings |= {
        "node.id": str(member.node_id),
        "controller.quorum.voters": voters,
        "offsets.topic.replication.factor": replicated,
        "transaction.state.log.replication.factor": replicated,
        "transaction.state.log.min.isr": min_isr,
        "share.coordinator.state.topic.replication.factor": replicated,
        "share.coordinator.state.topic.min.isr": min_isr,
        "default.replication.factor": replicated,
        "min.insync.replicas": min_isr,
        # A node back after a crash must not lead with a stale log.
        "unclean.leader.election.enable": "false",
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


def write_config(
    layout: BrokerLayout,
    member: ClusterMember | None = None,
    security: BrokerSecurity | None = None,
) -> None:
    """Write server.properties and the log4j2 configuration into the broker's folder."""
    layout.directory.mkdir(parents=True, exist_ok=True)
    properties = server_properties(layout) if member is None else cluster_properties(layout, member)
    if security is not None:
        # Later keys win in a Java properties file: the secure listeners replace the plain ones.
        properties += secure_properties(layout, security)
    layout.properties_file.write_text(properties)
    layout.log4j_file.write_text(_LOG4J2)
