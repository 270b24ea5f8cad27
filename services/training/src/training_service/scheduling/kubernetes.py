"""The Kubernetes adapter: each attempt is a batch/v1 Job (retries stay with the job's policy)."""

from __future__ import annotations

import json
import math
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

from training_service.scheduling.interface import JobSpec

Manifest = dict[str, Any]


def _name(training_job_id: UUID, attempt: int) -> str:
    return f"training-{training_job_id}-{attempt}"[:63]


def _resources(profile: dict[str, Any]) -> dict[str, dict[str, str]]:
    amounts = {
        "cpu": str(profile.get("cpu", 1)),
        "memory": f"{math.ceil(float(profile.get('memory_gb', 4)) * 1024)}Mi",
    }
    gpus = int(profile.get("gpu_count", 0))
    if gpus:
        # Extended resources (nvidia.com/gpu) must have requests equal to limits.
        amounts[str(profile.get("gpu_type", "nvidia.com/gpu"))] = str(gpus)
    return {"requests": dict(amounts), "limits": dict(amounts)}


def render_job_manifest(
    spec: JobSpec,
    *,
    image: str,
    namespace: str = "llmops-training",
    active_deadline_s: int = 86_400,
) -> Manifest:
    """The batch/v1 Job running one attempt: no Kubernetes retries (backoffLimit 0)."""
    labels = {
        "app.kubernetes.io/managed-by": "llmops-training",
        "llmops.io/training-job-id": str(spec.training_job_id),
        "llmops.io/attempt": str(spec.attempt),
    }
    env = [
        {"name": "LLMOPS_TRAINING_JOB_ID", "value": str(spec.training_job_id)},
        {"name": "LLMOPS_TRAINING_ATTEMPT", "value": str(spec.attempt)},
        {"name": "LLMOPS_HYPERPARAMETERS", "value": json.dumps(spec.hyperparameters)},
    ]
    container = {
        "name": "train", "image": image, "command": list(spec.command), "env": env,
        "resources": _resources(spec.resource_profile),
    }  # fmt: skip
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {
            "name": _name(spec.training_job_id, spec.attempt),
            "namespace": namespace,
            "labels": labels,
        },
        "spec": {
            "backoffLimit": 0,
            "activeDeadlineSeconds": active_deadline_s,
            "ttlSecondsAfterFinished": 86_400,
            "template": {
                "metadata": {"labels": labels},
                "spec": {"restartPolicy": "Never", "containers": [container]},
            },
        },
    }


class KubernetesJobAdapter:
    """Renders each attempt and hands it to `apply` (kubectl or an API client in deployment)."""

    scheduler_id = "kubernetes"

    def __init__(
        self,
        apply: Callable[[Manifest], Awaitable[None]],
        delete: Callable[[str, str], Awaitable[None]],
        *,
        image: str,
        namespace: str = "llmops-training",
    ) -> None:
        self._apply, self._delete = apply, delete
        self.image, self.namespace = image, namespace
        self._attempts: dict[UUID, int] = {}

    async def launch(self, spec: JobSpec) -> None:
        """Apply the attempt's Job manifest."""
        await self._apply(render_job_manifest(spec, image=self.image, namespace=self.namespace))
        self._attempts[spec.training_job_id] = spec.attempt

    async def cancel(self, training_job_id: UUID) -> None:
        """Delete the running attempt's Job (its pods go with it)."""
        attempt = self._attempts.pop(training_job_id, None)
        if attempt is not None:
            await self._delete(self.namespace, _name(training_job_id, attempt))
