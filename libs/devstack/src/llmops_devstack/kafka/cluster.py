"""A KRaft cluster of several combined broker+controller nodes on loopback, from the same jars.

Every node votes (static `controller.quorum.voters`); topics are replicated 3 times (fewer
nodes: as many as there are) with `min.insync.replicas` one fewer, so an acknowledged write
survives the loss of any one node. Ports and the cluster id are kept in `cluster.json`, so a
persistent cluster restarts on the log dirs it was formatted with.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from llmops_devstack.java import find_java
from llmops_devstack.kafka.broker import (
    KafkaStartError,
    RunningBroker,
    format_storage,
    launch,
    new_cluster_id,
    wait_until_serving,
)
from llmops_devstack.kafka.config import BrokerLayout, ClusterMember, write_config
from llmops_devstack.kafka.jars import ensure_kafka_jars
from llmops_devstack.ports import accepts_connections, free_port
from llmops_devstack.processes import terminate

_IDENTITY_FILE = "cluster.json"


@dataclass(frozen=True)
class RunningCluster:
    """The started nodes, by node id."""

    nodes: dict[int, RunningBroker]

    @property
    def bootstrap_servers(self) -> str:
        """Every node's client listener, comma-separated (any one is enough to bootstrap)."""
        return ",".join(node.bootstrap_servers for node in self.nodes.values())

    @property
    def pids(self) -> dict[str, int]:
        """Each node's pid, by node id (as text: it is recorded in JSON)."""
        return {str(node_id): node.pid for node_id, node in self.nodes.items()}

    def stop(self) -> None:
        """Stop every node."""
        for node in self.nodes.values():
            node.stop()


def _layouts(directory: Path, nodes: int) -> tuple[dict[int, BrokerLayout], str]:
    """Reuse the ports and cluster id the cluster was formatted with, else pick new ones."""
    identity_file = directory / _IDENTITY_FILE
    if identity_file.exists():
        known = json.loads(identity_file.read_text())
        if len(known["nodes"]) == nodes:
            layouts = {
                int(node): BrokerLayout(directory / f"node-{node}", ports[0], ports[1])
                for node, ports in known["nodes"].items()
            }
            return layouts, str(known["cluster_id"])
        raise KafkaStartError(
            f"the cluster in {directory} has {len(known['nodes'])} nodes, not {nodes}; "
            "remove the folder to start another one"
        )
    layouts = {
        node: BrokerLayout(directory / f"node-{node}", free_port(), free_port())
        for node in range(1, nodes + 1)
    }
    cluster_id = new_cluster_id()
    directory.mkdir(parents=True, exist_ok=True)
    ports = {str(n): [lay.port, lay.controller_port] for n, lay in layouts.items()}
    identity_file.write_text(json.dumps({"cluster_id": cluster_id, "nodes": ports}))
    return layouts, cluster_id


def start_cluster(
    directory: Path, cache: Path, *, nodes: int = 3, heap: str = "512m"
) -> RunningCluster:
    """Start `nodes` nodes whose configs and data live under `directory`; return once every
    node's client listener accepts connections."""
    if nodes < 2:
        raise ValueError("a cluster has at least 2 nodes; use start_broker for one")
    layouts, cluster_id = _layouts(directory, nodes)
    taken = [lay.port for lay in layouts.values() if accepts_connections(lay.port)]
    if taken:
        raise KafkaStartError(f"ports {taken} of the cluster in {directory} are taken")
    jars = ensure_kafka_jars(cache)
    java = find_java()
    voters = tuple((node, lay.controller_port) for node, lay in sorted(layouts.items()))
    for node, layout in layouts.items():
        write_config(layout, ClusterMember(node, voters))
        format_storage(java, jars, layout, cluster_id, standalone=False)
    # Started together: no node serves clients before a quorum of controllers has elected.
    processes = {node: launch(java, jars, layout, heap) for node, layout in layouts.items()}
    started: dict[int, RunningBroker] = {}
    try:
        for node, layout in layouts.items():
            started[node] = wait_until_serving(layout, processes[node])
    except BaseException:
        for process in processes.values():
            terminate(process.pid, grace_s=5.0)
        raise
    return RunningCluster(started)
