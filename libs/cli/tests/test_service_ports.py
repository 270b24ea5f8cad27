"""Each service keeps the HTTP port its definition declares, whatever else is installed."""

from __future__ import annotations

from llmops_cli.services import installed_definitions
from llmops_cli.supervisor import service_ports

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
