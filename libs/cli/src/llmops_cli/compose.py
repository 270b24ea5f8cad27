"""docker-compose.yml rendered from the installed service definitions (`llmops dev compose`)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from llmops_runtime.service import ServiceDefinition

TEMPLATES = Path(__file__).parent / "templates" / "compose"


def _fill(text: str, values: Mapping[str, str]) -> str:
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    return text


def service_block(definition: ServiceDefinition) -> str:
    """One service's block: its image, role, port and the settings it passes through."""
    name = definition.name
    # A key without a value passes the host's variable through when set and leaves it unset
    # otherwise (an empty string would reach typed settings as a bad value).
    settings = "".join(f"      {v}:\n" for v in definition.deploy_settings)
    values = {"__SVC__": name.upper(), "__svc__": name, "__port__": str(definition.http_port)}
    return _fill((TEMPLATES / "service.yml.tmpl").read_text(), values | {"__settings__": settings})


def migrate_password(name: str) -> str:
    """The migrate job's line for one service role's password (it creates every role)."""
    variable = f"LLMOPS_{name.upper()}_DB_PASSWORD"
    return f"      {variable}: ${{{variable}:-{name}-local}}\n"


def render_compose(definitions: Mapping[str, ServiceDefinition]) -> str:
    """The whole docker-compose.yml: the stack, the migrate job and a block per service."""
    names = sorted(definitions)
    if not names:
        raise ValueError("no service is installed: run `make setup` first")
    values = {
        "__migrate_service__": names[0],
        "__migrate_passwords__": "".join(migrate_password(n) for n in names),
        "__services__": "".join(service_block(definitions[n]) for n in names),
    }
    return _fill((TEMPLATES / "base.yml.tmpl").read_text(), values)
