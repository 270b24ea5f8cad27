"""The import-linter contracts cover every installed service, and a violation fails them."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path
from typing import Any

from llmops_cli import services as installed

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def config() -> dict[str, Any]:
    section: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"][
        "importlinter"
    ]
    return section


def service_packages() -> set[str]:
    return set(installed.service_packages().values())


def contract(name: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = [c for c in config()["contracts"] if c["name"] == name]
    assert len(found) == 1, name
    return found[0]


class TestTheContractsNameEveryService:
    def test_root_packages(self) -> None:
        assert service_packages() <= set(config()["root_packages"])

    def test_independence(self) -> None:
        assert set(contract("Services are independent of each other")["modules"]) == (
            service_packages()
        )

    def test_libs_never_import_services(self) -> None:
        forbidden = contract("Libs never import services")["forbidden_modules"]
        assert set(forbidden) == service_packages()

    def test_domains(self) -> None:
        sources = contract("Domains import no I/O library")["source_modules"]
        assert set(sources) == {f"{p}.domain" for p in service_packages()}

    def test_layers(self) -> None:
        assert set(contract("Layers inside a service")["containers"]) == service_packages()


def test_the_workspace_keeps_every_contract() -> None:
    run = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stdout[-3000:]


def test_a_service_importing_another_breaks_the_contracts(tmp_path: Path) -> None:
    for name, body in {
        "alpha_service/__init__.py": "",
        "alpha_service/domain.py": "import asyncpg\n",
        "beta_service/__init__.py": "",
        "beta_service/api.py": "from alpha_service import domain\n",
    }.items():
        path = tmp_path / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(body)
    (tmp_path / ".importlinter").write_text(
        textwrap.dedent(
            """\
            [importlinter]
            root_packages = alpha_service
                beta_service
            include_external_packages = True

            [importlinter:contract:independent]
            name = Services are independent of each other
            type = independence
            modules = alpha_service
                beta_service

            [importlinter:contract:domain]
            name = Domains import no I/O library
            type = forbidden
            source_modules = alpha_service.domain
            forbidden_modules = asyncpg
            """
        )
    )
    run = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", ".importlinter"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(tmp_path), "PATH": str(Path(sys.executable).parent)},
    )
    assert run.returncode == 1, run.stdout
    assert "Services are independent of each other BROKEN" in run.stdout
    assert "Domains import no I/O library BROKEN" in run.stdout


def test_mypy_sees_every_workspace_package() -> None:
    # mypy's `mypy_path` takes no globs: this keeps the hand list equal to the workspace.
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]
    sources = {str(p.relative_to(ROOT)) for p in ROOT.glob("*/*/src") if p.is_dir()}
    assert set(settings["mypy_path"]) - {"."} == sources
