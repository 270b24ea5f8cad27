"""`python -m llmops_runtime.service.run <name>` runs any installed service by its name."""

from __future__ import annotations

import subprocess
import sys

from llmops_runtime.service.installed import installed_definitions, service_packages


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "llmops_runtime.service.run", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_an_unknown_name_exits_2_naming_the_installed_services() -> None:
    result = run("no-such-service")
    assert result.returncode == 2
    installed = ", ".join(sorted(service_packages()))
    assert f"installed: {installed}" in result.stderr
    assert "catalog" in installed


def test_no_name_exits_2_with_the_usage() -> None:
    result = run()
    assert result.returncode == 2
    assert "usage: python -m llmops_runtime.service.run <name>" in result.stderr


def test_entry_points_name_each_service_and_its_package() -> None:
    assert {"catalog", "dataset", "prompt"} <= set(installed_definitions())
    assert service_packages()["catalog"] == "catalog_service"
