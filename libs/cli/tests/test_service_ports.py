"""Each service keeps the HTTP port its definition declares, whatever else is installed."""

from __future__ import annotations

import pytest

from llmops_cli.services import installed_definitions
from llmops_cli.supervisor import (
    MAX_REPLICAS,
    REPLICA_PORT_STEP,
    Instance,
    instance_ports,
    service_ports,
)

# The design's fixed ports: adding a service never moves another one.
DESIGNED = {
    "console": 8100,
    "catalog": 8101,
    "dataset": 8102,
    "prompt": 8103,
    "training": 8104,
    "serving": 8105,
    "evaluation": 8106,
    "cost": 8107,
    "governance": 8108,
}


def test_every_installed_service_has_its_designed_port() -> None:
    ports = service_ports()
    assert ports, "no service is installed"
    assert {name: DESIGNED[name] for name in ports if name in DESIGNED} == {
        name: port for name, port in ports.items() if name in DESIGNED
    }


def test_a_service_outside_the_design_takes_no_designed_port() -> None:
    # A service made with `llmops dev new-service` must not take a planned service's port.
    others = {name: port for name, port in service_ports().items() if name not in DESIGNED}
    assert not set(others.values()) & set(DESIGNED.values()), others


def test_the_port_comes_from_the_definition() -> None:
    for name, definition in installed_definitions().items():
        assert service_ports()[name] == definition.http_port


def test_no_two_services_share_a_port() -> None:
    ports = list(service_ports().values())
    assert len(ports) == len(set(ports))


def test_replicas_get_their_own_keys_and_ports_beside_instance_zero() -> None:
    ports = instance_ports(3)
    for name, port in service_ports().items():
        assert ports[name] == port
        assert ports[f"{name}-1"] == port + REPLICA_PORT_STEP
        assert ports[f"{name}-2"] == port + 2 * REPLICA_PORT_STEP
    assert len(set(ports.values())) == len(ports) == 3 * len(service_ports())
    assert Instance.of("dataset-2") == Instance("dataset", 2)
    assert Instance.of("dataset").key == "dataset"


def test_replicas_outside_one_to_nine_are_refused() -> None:
    for replicas in (0, MAX_REPLICAS + 1):
        with pytest.raises(ValueError, match="replicas must be between 1 and 9"):
            instance_ports(replicas)
