"""Hosting a service: its declaration, settings, and the process that runs it."""

from llmops_runtime.service.bootstrap import Built, Wiring
from llmops_runtime.service.definition import ServiceDefinition, ServiceResources
from llmops_runtime.service.host import ServiceHost
from llmops_runtime.service.migrate import (
    SchemaNotMigrated,
    drop_service_role,
    migrate_definition,
    migrate_services,
    role_url,
    service_role,
)
from llmops_runtime.service.run import run_service
from llmops_runtime.service.settings import ServiceSettings, settings_for
from llmops_runtime.service.tasks import BackgroundTask

__all__ = [
    "BackgroundTask",
    "Built",
    "SchemaNotMigrated",
    "ServiceDefinition",
    "ServiceHost",
    "ServiceResources",
    "ServiceSettings",
    "Wiring",
    "drop_service_role",
    "migrate_definition",
    "migrate_services",
    "role_url",
    "run_service",
    "service_role",
    "settings_for",
]
