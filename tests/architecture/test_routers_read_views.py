"""Every service's HTTP routers read through its views module, never the raw pool."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from llmops_cli.services import service_packages


def packages() -> list[str]:
    return sorted(service_packages().values())


def api_sources(package: str) -> list[Path]:
    """The service's own router modules: its api package, or its api module."""
    root = Path(importlib.import_module(package).__file__ or "").parent
    return sorted((root / "api").glob("*.py")) + sorted(root.glob("api.py"))


def raw_reads(source: Path) -> list[str]:
    """Names in a router module that reach the database without the views."""
    found = []
    for node in ast.walk(ast.parse(source.read_text())):
        if isinstance(node, ast.Attribute) and node.attr in {"Pool", "pool", "fetchrow", "fetch"}:
            found.append(f"{source.name}:{node.lineno} .{node.attr}")
        if isinstance(node, ast.ImportFrom) and any(a.name == "fetch_page" for a in node.names):
            found.append(f"{source.name}:{node.lineno} imports fetch_page")
    return found


@pytest.mark.parametrize("package", packages())
def test_routers_take_the_views_not_the_pool(package: str) -> None:
    # A service without routers of its own serves the kit's table routes over its TableReads.
    sources = api_sources(package)
    assert [hit for s in sources for hit in raw_reads(s)] == []
    if sources:
        root = Path(importlib.import_module(package).__file__ or "").parent
        assert (root / "views.py").is_file(), f"{package} has no views module"


def test_the_check_catches_a_router_over_the_pool(tmp_path: Path) -> None:
    router = tmp_path / "bad.py"
    router.write_text(
        "from llmops_runtime.http.pagination import fetch_page\n"
        "async def read(pool):\n    return await pool.fetchrow('SELECT 1')\n"
    )
    assert raw_reads(router) == ["bad.py:1 imports fetch_page", "bad.py:3 .fetchrow"]
