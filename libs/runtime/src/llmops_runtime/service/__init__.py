"""Hosting a service: its declaration, settings, and the process that runs it."""

from llmops_runtime.service.bootstrap import Built, Wiring
from llmops_runtime.service.definition import ServiceDefinition, ServiceResources
from llmops_runtime.service.host import ServiceHost
from llmops_runtime.service.run import run_service
from llmops_runtime.service.settings import ServiceSettings, settings_for

__all__ = [
    "Built",
    "ServiceDefinition",
    "ServiceHost",
    "ServiceResources",
    "ServiceSettings",
    "Wiring",
    "run_service",
    "settings_for",
]
