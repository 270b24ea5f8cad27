"""The installed services' declarations, found through the `llmops.services` entry points."""

from __future__ import annotations

import typer

from llmops_runtime.service import ServiceDefinition
from llmops_runtime.service.installed import (
    SERVICE_GROUP,
    installed_definitions,
    service_packages,
)

__all__ = ["SERVICE_GROUP", "definition_of", "installed_definitions", "service_packages"]


def definition_of(service: str) -> ServiceDefinition:
    """One service's definition; exit 2 naming the installed ones if unknown."""
    definitions = installed_definitions()
    if service not in definitions:
        names = ", ".join(sorted(definitions)) or "none"
        typer.echo(f"unknown service {service!r}; installed: {names}", err=True)
        raise typer.Exit(2)
    return definitions[service]
