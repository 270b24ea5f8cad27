"""The installed services' declarations, found through the `llmops.services` entry points."""

from __future__ import annotations

from importlib.metadata import entry_points

import typer

from llmops_runtime.service import ServiceDefinition

SERVICE_GROUP = "llmops.services"


def installed_definitions() -> dict[str, ServiceDefinition]:
    """Every installed service's definition, by name (importing declares; nothing connects)."""
    found: dict[str, ServiceDefinition] = {}
    for entry in entry_points(group=SERVICE_GROUP):
        definition = entry.load()
        if not isinstance(definition, ServiceDefinition):
            raise TypeError(f"entry point {entry.value} is not a ServiceDefinition")
        found[entry.name] = definition
    return found


def definition_of(service: str) -> ServiceDefinition:
    """One service's definition; exit 2 naming the installed ones if unknown."""
    definitions = installed_definitions()
    if service not in definitions:
        names = ", ".join(sorted(definitions)) or "none"
        typer.echo(f"unknown service {service!r}; installed: {names}", err=True)
        raise typer.Exit(2)
    return definitions[service]
