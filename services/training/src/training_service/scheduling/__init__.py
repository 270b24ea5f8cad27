"""Scheduler adapters: where a job's attempts run (`scheduler_id` is the adapter's id)."""

from training_service.scheduling.interface import JobSpec, SchedulerAdapter
from training_service.scheduling.kubernetes import KubernetesJobAdapter, render_job_manifest
from training_service.scheduling.local import LocalScheduler

__all__ = [
    "JobSpec", "KubernetesJobAdapter", "LocalScheduler", "SchedulerAdapter", "render_job_manifest",
]  # fmt: skip
