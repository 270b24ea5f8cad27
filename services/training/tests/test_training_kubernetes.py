"""The Kubernetes adapter renders a batch/v1 Job per attempt (no cluster needed)."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from training_service.scheduling import JobSpec, KubernetesJobAdapter, render_job_manifest


def _spec(**profile: Any) -> JobSpec:
    return JobSpec(
        uuid4(), 2, ("python", "train.py", "--epochs", "3"), profile, {"lr": 0.1}, "finetune"
    )


def test_the_manifest_requests_and_limits_the_profiles_gpus() -> None:
    spec = _spec(gpu_count=4, memory_gb=32, cpu=8)
    manifest = render_job_manifest(spec, image="registry/train:1")
    assert (manifest["apiVersion"], manifest["kind"]) == ("batch/v1", "Job")
    assert manifest["spec"]["backoffLimit"] == 0  # retries belong to the job's policy
    pod = manifest["spec"]["template"]["spec"]
    assert pod["restartPolicy"] == "Never"
    [container] = pod["containers"]
    assert container["command"] == ["python", "train.py", "--epochs", "3"]
    expected = {"cpu": "8", "memory": "32768Mi", "nvidia.com/gpu": "4"}
    assert container["resources"] == {"requests": expected, "limits": expected}
    env = {e["name"]: e["value"] for e in container["env"]}
    assert env["LLMOPS_TRAINING_JOB_ID"] == str(spec.training_job_id)
    assert env["LLMOPS_TRAINING_ATTEMPT"] == "2"
    assert manifest["metadata"]["labels"]["llmops.io/training-job-id"] == str(spec.training_job_id)
    assert len(manifest["metadata"]["name"]) <= 63


def test_a_cpu_only_job_requests_no_gpu() -> None:
    resources = render_job_manifest(_spec(gpu_count=0), image="i")["spec"]["template"]["spec"]
    assert "nvidia.com/gpu" not in resources["containers"][0]["resources"]["limits"]


async def test_the_adapter_applies_each_attempt_and_deletes_it_on_cancel() -> None:
    applied: list[dict[str, Any]] = []
    deleted: list[tuple[str, str]] = []

    async def apply(manifest: dict[str, Any]) -> None:
        applied.append(manifest)

    async def delete(namespace: str, name: str) -> None:
        deleted.append((namespace, name))

    adapter = KubernetesJobAdapter(apply, delete, image="i", namespace="ns")
    spec = _spec(gpu_count=1)
    await adapter.launch(spec)
    await adapter.cancel(spec.training_job_id)
    assert adapter.scheduler_id == "kubernetes"
    assert deleted == [("ns", applied[0]["metadata"]["name"])]
