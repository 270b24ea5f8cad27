"""The generated import-linter contracts cover every installed service; a violation fails them."""

from __future__ import annotations

import configparser
import subprocess
import sys
import tomllib
from pathlib import Path

from llmops_cli import services as installed
from llmops_cli.import_contracts import installed_config, render

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
LAYERS = ("definition", "bootstrap", "api", "views", "application", "projections", "domain")


def service_packages() -> set[str]:
    return set(installed.service_packages().values())


def contract(config: configparser.ConfigParser, name: str) -> dict[str, set[str]]:
    found = [
        {k: set(v.split()) for k, v in config[section].items()}
        for section in config.sections()
        if config[section].get("name") == name
    ]
    assert len(found) == 1, name
    return found[0]


def parsed() -> configparser.ConfigParser:
    config = configparser.ConfigParser()
    config.read_string(installed_config())
    return config


def lint(cwd: Path, config: str, **env: str) -> subprocess.CompletedProcess[str]:
    (cwd / ".importlinter.generated").write_text(config)
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", ".importlinter.generated"],
        cwd=cwd, capture_output=True, text=True, check=False, env=env or None,
    )  # fmt: skip


class TestTheGeneratedContractsNameEveryService:
    def test_root_packages(self) -> None:
        assert service_packages() <= set(parsed()["importlinter"]["root_packages"].split())

    def test_independence(self) -> None:
        found = contract(parsed(), "Services are independent of each other")["modules"]
        assert found == service_packages()

    def test_libs_never_import_services(self) -> None:
        found = contract(parsed(), "Libs never import services")["forbidden_modules"]
        assert found == service_packages()

    def test_domains(self) -> None:
        sources = contract(parsed(), "Domains import no I/O library")["source_modules"]
        assert sources == {f"{p}.domain" for p in service_packages()}

    def test_layers(self) -> None:
        assert contract(parsed(), "Layers inside a service")["containers"] == service_packages()


def test_the_root_pyproject_holds_no_hand_list_of_services() -> None:
    tool = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]
    assert "importlinter" not in tool
    assert "mypy_path" not in tool["mypy"]


def test_the_workspace_keeps_every_generated_contract() -> None:
    run = lint(ROOT, installed_config())
    assert run.returncode == 0, run.stdout[-3000:]
    assert "Contracts: 5 kept, 0 broken." in run.stdout


def test_a_service_importing_another_breaks_the_generated_contracts(tmp_path: Path) -> None:
    for package in ("alpha_service", "beta_service"):
        for layer in ("__init__", *LAYERS):
            path = tmp_path / package / f"{layer}.py"
            path.parent.mkdir(exist_ok=True)
            path.write_text("")
    (tmp_path / "alpha_service" / "domain.py").write_text("import asyncpg\n")
    (tmp_path / "beta_service" / "api.py").write_text("from alpha_service import domain\n")
    (tmp_path / "beta_service" / "domain.py").write_text("from beta_service import api\n")
    run = lint(
        tmp_path, render(["alpha_service", "beta_service"]),
        PYTHONPATH=str(tmp_path), PATH=str(Path(sys.executable).parent),
    )  # fmt: skip
    assert run.returncode == 1, run.stdout
    assert "Services are independent of each other BROKEN" in run.stdout
    assert "Domains import no I/O library BROKEN" in run.stdout
    assert "Layers inside a service BROKEN" in run.stdout
