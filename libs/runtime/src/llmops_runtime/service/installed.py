"""The installed services, found through the `llmops.services` entry points."""

from __future__ import annotations

from importlib.metadata import EntryPoint, entry_points

from llmops_runtime.service.definition import ServiceDefinition

SERVICE_GROUP = "llmops.services"


def service_entries() -> dict[str, EntryPoint]:
    """Each installed service's entry point, by service name (nothing is imported)."""
    return {entry.name: entry for entry in entry_points(group=SERVICE_GROUP)}


def service_packages() -> dict[str, str]:
    """Each installed service's top-level package, by service name."""
    return {name: entry.module.split(".")[0] for name, entry in service_entries().items()}


def load_definition(entry: EntryPoint) -> ServiceDefinition:
    """The definition an entry point names; TypeError if it names something else."""
    definition = entry.load()
    if not isinstance(definition, ServiceDefinition):
        raise TypeError(f"entry point {entry.value} is not a ServiceDefinition")
    return definition


def installed_definitions() -> dict[str, ServiceDefinition]:
    """Every installed service's definition, by name (importing declares; nothing connects)."""
    return {name: load_definition(entry) for name, entry in service_entries().items()}
