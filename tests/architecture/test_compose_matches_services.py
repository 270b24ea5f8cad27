"""docker-compose.yml runs every installed service, on the port its definition declares.

The file is rendered by `llmops dev compose` from the definitions; it is committed so that
`docker compose up` works on a fresh clone, and this test keeps it equal to its rendering.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from llmops_cli.compose import render_compose
from llmops_cli.services import installed_definitions

ROOT = Path(__file__).resolve().parents[2]


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return loaded


def test_every_installed_service_has_a_compose_service() -> None:
    services = compose()["services"]
    for name in installed_definitions():
        assert name in services, f"docker-compose.yml does not run {name}"


def test_each_compose_service_builds_and_publishes_its_definition_s_port() -> None:
    services = compose()["services"]
    for name, definition in installed_definitions().items():
        block = services[name]
        assert block["build"]["args"]["SERVICE"] == name
        inside = block["environment"][f"LLMOPS_{name.upper()}_HTTP_PORT"]
        assert f"{definition.http_port}:{inside}" in block["ports"]


def test_compose_runs_no_service_that_is_not_installed() -> None:
    built = {n for n, b in compose()["services"].items() if "build" in b}
    assert built <= set(installed_definitions()) | {"migrate"}


def test_the_committed_file_is_what_llmops_dev_compose_renders() -> None:
    rendered = render_compose(installed_definitions())
    assert (ROOT / "docker-compose.yml").read_text() == rendered, "run `llmops dev compose`"
