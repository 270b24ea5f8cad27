"""`llmops dev new-service NAME`: a working service rendered from the templates beside this."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

TEMPLATES = Path(__file__).parent / "templates"
NAME = re.compile(r"^[a-z][a-z0-9]{1,30}$")


class NewServiceRefused(ValueError):
    """The name is not usable, or something of that name exists already."""


def substitutions(name: str, http_port: int) -> dict[str, str]:
    """Each placeholder of the templates and what it becomes for this service."""
    return {
        "__SVC__": name.upper(),
        "__Svc__": name.capitalize(),
        "__svc__": name,
        "__port__": str(http_port),
    }


def render(text: str, values: dict[str, str]) -> str:
    """The template text with every placeholder replaced (longest first)."""
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    return text


def planned_files(root: Path, name: str, http_port: int) -> dict[Path, str]:
    """Every file the service needs, by its path under root, rendered."""
    values = substitutions(name, http_port)
    files = {
        root / "libs/events/src/llmops_events" / f"{name}.py": render(
            (TEMPLATES / "contracts.py.tmpl").read_text(), values
        )
    }
    service = TEMPLATES / "service"
    for template in sorted(service.rglob("*.tmpl")):
        relative = render(str(template.relative_to(service)), values).removesuffix(".tmpl")
        files[root / "services" / name / relative] = render(template.read_text(), values)
    return files


def new_service(root: Path, name: str, http_port: int) -> list[Path]:
    """Write the service under root/services/NAME and its contracts module; the paths written."""
    if not NAME.match(name):
        raise NewServiceRefused(f"{name!r}: use 2-31 lowercase letters and digits, a letter first")
    if not 1024 <= http_port <= 65535:
        raise NewServiceRefused(f"http port {http_port} is outside 1024-65535")
    files = planned_files(root, name, http_port)
    taken = [str(p.relative_to(root)) for p in files if p.exists()]
    if (root / "services" / name).exists() or taken:
        raise NewServiceRefused(f"service {name!r} exists already: {taken or ['services/' + name]}")
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return list(files)


def write_schema_snapshots(root: Path) -> None:
    """Snapshot the new contracts' JSON Schemas (a fresh process discovers the new module)."""
    subprocess.run(
        [sys.executable, "-m", "llmops_events.snapshot"],
        cwd=root,
        env=os.environ | {"PYTHONPATH": str(root / "libs/events/src")},
        check=True,
    )


def tidy(root: Path, paths: list[Path]) -> None:
    """Sort the imports and format the written modules (both depend on the name's length)."""
    sources = [str(p) for p in paths if p.suffix == ".py"]
    ruff = [sys.executable, "-m", "ruff"]
    subprocess.run(
        [*ruff, "check", "--no-cache", "--fix", "--select", "I", "-q", *sources],
        cwd=root,
        check=True,
    )
    subprocess.run([*ruff, "format", "--no-cache", "-q", *sources], cwd=root, check=True)
