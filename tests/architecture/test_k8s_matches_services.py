"""deploy/k8s/base/generated is what `llmops dev k8s` renders, and both overlays build."""

from __future__ import annotations

import subprocess
from pathlib import Path

import yaml

from llmops_cli.k8s import render_k8s
from llmops_cli.services import installed_definitions

ROOT = Path(__file__).resolve().parents[2]
GENERATED = ROOT / "deploy" / "k8s" / "base" / "generated"


def test_the_committed_manifests_are_what_llmops_dev_k8s_renders() -> None:
    rendered = render_k8s(installed_definitions())
    assert {p.name for p in GENERATED.glob("*.yaml")} == set(rendered), "run `llmops dev k8s`"
    for name, text in rendered.items():
        assert (GENERATED / name).read_text() == text, f"{name}: run `llmops dev k8s`"


def built(overlay: str) -> list[dict[str, object]]:
    out = subprocess.run(
        ["kubectl", "kustomize", str(ROOT / "deploy" / "k8s" / "overlays" / overlay)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [d for d in yaml.safe_load_all(out) if d]


def test_each_overlay_deploys_every_installed_service() -> None:
    for overlay in ("dev", "prod"):
        deployments = {d["metadata"]["name"] for d in built(overlay) if d["kind"] == "Deployment"}  # type: ignore[index]
        assert deployments == set(installed_definitions()), overlay


def test_prod_runs_three_postgres_instances_and_kafka_brokers() -> None:
    documents = {str(d["kind"]): d for d in built("prod")}
    assert documents["Cluster"]["spec"]["instances"] == 3  # type: ignore[index]
    assert documents["KafkaNodePool"]["spec"]["replicas"] == 3  # type: ignore[index]


def test_both_overlays_pass_strict_schema_validation() -> None:
    for overlay in ("dev", "prod"):
        result = subprocess.run(
            [str(ROOT / "deploy" / "k8s" / "validate.sh"), overlay],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert "Invalid: 0, Errors: 0" in result.stdout


def test_only_prod_has_disruption_budgets_for_its_replicated_services() -> None:
    assert not [d for d in built("dev") if d["kind"] == "PodDisruptionBudget"]
    budgets = {d["metadata"]["name"] for d in built("prod") if d["kind"] == "PodDisruptionBudget"}  # type: ignore[index]
    assert budgets == set(installed_definitions())
