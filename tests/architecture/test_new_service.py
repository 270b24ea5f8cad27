"""`llmops dev new-service NAME` yields a service that passes `make` with no other edit."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from llmops_cli.new_service import NewServiceRefused, new_service

ROOT = Path(__file__).resolve().parents[2]
UV = ROOT / ".tools" / "bin" / "uv"
NAME = "ledger"
# What tools write while they run; git ignores each of them.
CACHES = {".venv", ".ruff_cache", ".mypy_cache", ".pytest_cache", "__pycache__"}


def copy_workspace(target: Path) -> None:
    """The tracked and untracked-but-not-ignored files of the checkout, as they are now."""
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"],
        cwd=ROOT, capture_output=True, check=True,
    ).stdout.decode().split("\0")  # fmt: skip
    for relative in filter(None, listed):
        source = ROOT / relative
        if source.is_file():
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / relative)


def contents(workspace: Path) -> dict[str, bytes]:
    """Every file of the workspace (no virtualenv or caches), by its relative path."""
    return {
        str(p.relative_to(workspace)): p.read_bytes()
        for p in workspace.rglob("*")
        if p.is_file() and not CACHES & set(p.parts)
    }


def changed_outside(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    """Files added or changed outside services/NAME."""
    changed = {path for path, data in after.items() if before.get(path) != data}
    return {path for path in changed if not path.startswith(f"services/{NAME}/")}


def run(cwd: Path, *command: str, env: dict[str, str]) -> str:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"{' '.join(command)}:\n{done.stdout[-4000:]}{done.stderr[-4000:]}"
    return done.stdout


def scaffolding_lines(service: Path) -> int:
    """Lines the generator writes for a service outside its domain and tests."""
    written = [p for p in service.rglob("*") if p.is_file() and not CACHES & set(p.parts)]
    kept = [p for p in written if not {"domain", "tests"} & set(p.relative_to(service).parts)]
    return sum(len(p.read_text().splitlines()) for p in kept)


@pytest.mark.stack
def test_a_generated_service_passes_the_repository_s_make_targets(
    tmp_path: Path, kafka_bootstrap: str, database_url: str
) -> None:
    workspace = tmp_path / "workspace"
    copy_workspace(workspace)
    # mypy's cache is keyed by file content, so the copy reuses it safely (and in seconds).
    if (ROOT / ".mypy_cache").is_dir():
        shutil.copytree(ROOT / ".mypy_cache", workspace / ".mypy_cache")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "UV_"))}
    env |= {"UV_OFFLINE": "1", "UV_PYTHON_DOWNLOADS": "never"}
    env["UV_PROJECT_ENVIRONMENT"] = str(workspace / ".venv")
    # The generated service's tests run against this session's stack, not one of their own.
    env |= {"KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap, "DATABASE_URL": database_url}
    before = contents(workspace)
    generate = [sys.executable, "-m", "llmops_cli.main", "dev", "new-service", NAME]
    run(workspace, *generate, "--http-port", "8190", "--root", ".", env=env)
    # Outside the folder only the contracts module, and the JSON Schema snapshots derived from it.
    assert changed_outside(before, contents(workspace)) == {
        f"libs/events/src/llmops_events/{NAME}.py",
        f"libs/events/schemas/{NAME}.item.registered.v1.json",
        f"libs/events/schemas/{NAME}.register_item.v1.json",
    }
    assert scaffolding_lines(workspace / "services" / NAME) <= 80
    # Tools regenerate the lock file, the compose file and the Kubernetes manifests from what
    # the service declares.
    # The lock may read package metadata its cache lacks from the index; the sync is offline.
    run(workspace, str(UV), "lock", env={k: v for k, v in env.items() if k != "UV_OFFLINE"})
    run(workspace, str(UV), "sync", "--all-packages", "--frozen", env=env)
    run(workspace, str(workspace / ".venv/bin/llmops"), "dev", "compose", env=env)
    run(workspace, str(workspace / ".venv/bin/llmops"), "dev", "k8s", env=env)
    assert (workspace / "deploy" / "k8s" / "base" / "generated" / f"{NAME}.yaml").is_file()
    # The manifests' validation reuses the checkout's pinned kubeconform and cached schemas.
    env |= {
        "KUBECONFORM": str(ROOT / ".tools" / "bin" / "kubeconform"),
        "LLMOPS_K8S_CACHE": str(ROOT / ".llmops" / "cache" / "k8s"),
    }
    assert f"LLMOPS_{NAME.upper()}_HTTP_PORT" in (workspace / "docker-compose.yml").read_text()
    # The repository's own targets; this test is left out so that it does not run itself.
    itself = f"--ignore=tests/architecture/{Path(__file__).name}"
    pytest_args = f"services/{NAME} tests/architecture {itself} -q -p no:cacheprovider"
    made = run(
        workspace, "make", "lint", "typecheck", "pytest", f"PYTEST_ARGS={pytest_args}", env=env
    )
    assert "0 broken" in made and "Success" in made, made
    assert " passed" in made and " failed" not in made, made


def test_a_taken_or_bad_name_is_refused_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "services" / "dataset").mkdir(parents=True)
    with pytest.raises(NewServiceRefused, match="exists already"):
        new_service(tmp_path, "dataset", 8190)
    with pytest.raises(NewServiceRefused, match="lowercase letters"):
        new_service(tmp_path, "Bad-Name", 8190)
    assert [p.name for p in tmp_path.rglob("*")] == ["services", "dataset"]
