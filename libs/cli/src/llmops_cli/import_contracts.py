"""The import-linter contracts, generated from the installed services at lint time."""

from __future__ import annotations

from collections.abc import Iterable

from llmops_cli.services import service_packages

LIBS = (
    "llmops_domain", "llmops_events", "llmops_runtime", "llmops_devstack", "llmops_cli",
    "llmops_testing", "llmops_bench",
)  # fmt: skip
IO_LIBRARIES = ("asyncpg", "aiokafka", "faststream", "fastapi", "opentelemetry", "httpx")
CONTRACT_FORBIDDEN = (
    "llmops_runtime", "llmops_devstack", "llmops_cli", "asyncpg", "aiokafka", "faststream",
    "fastapi", "opentelemetry", "eventsourcing",
)  # fmt: skip
# Outermost first; a service need not have every layer (parenthesised: optional). `views` sits
# between the routers and what they must not reach directly.
SERVICE_LAYERS = (
    "definition", "(bootstrap)", "(api)", "(views)", "application | projections", "domain",
)  # fmt: skip


def contracts(services: Iterable[str]) -> list[dict[str, object]]:
    """The workspace's contracts over the given service packages."""
    services = sorted(services)
    return [
        {"name": "Services are independent of each other", "type": "independence",
         "modules": services},
        {"name": "Libs never import services", "type": "forbidden", "source_modules": list(LIBS),
         "forbidden_modules": services},
        {"name": "Domains import no I/O library", "type": "forbidden",
         "source_modules": [f"{s}.domain" for s in services],
         "forbidden_modules": [*IO_LIBRARIES, "llmops_runtime"]},
        {"name": "Contracts import pydantic only", "type": "forbidden",
         "source_modules": ["llmops_events", "llmops_domain"],
         "forbidden_modules": list(CONTRACT_FORBIDDEN)},
        {"name": "Layers inside a service", "type": "layers", "containers": services,
         "layers": list(SERVICE_LAYERS), "exhaustive": "False"},
    ]  # fmt: skip


def render(services: Iterable[str]) -> str:
    """An INI config for `lint-imports --config`, over the given service packages."""
    services = sorted(services)
    lines = ["[importlinter]", _values("root_packages", [*LIBS, *services])]
    lines.append("include_external_packages = True")
    for index, contract in enumerate(contracts(services)):
        lines += ["", f"[importlinter:contract:{index}]"]
        for key, value in contract.items():
            lines.append(_values(key, value) if isinstance(value, list) else f"{key} = {value}")
    return "\n".join(lines) + "\n"


def installed_config() -> str:
    """The config over every installed service (what `make lint` checks)."""
    return render(service_packages().values())


def _values(key: str, values: list[str]) -> str:
    return f"{key} =\n" + "\n".join(f"    {v}" for v in values)
