"""Built once per started service: settings, views, handlers, routers and the local scheduler."""

from __future__ import annotations

import functools
from collections.abc import Callable

from llmops_runtime.service import BackgroundTask, Built, ServiceResources, Wiring
from training_service.api import training_jobs_router
from training_service.application import build_registry
from training_service.application.jobs import Clock, utc_now
from training_service.scheduling import LocalScheduler
from training_service.settings import TrainingSettings
from training_service.views import TrainingViews

Bootstrap = Callable[[ServiceResources], Built[TrainingViews]]


def training_bootstrap(settings: Callable[[], TrainingSettings], now: Clock) -> Bootstrap:
    """A bootstrap over these settings and this clock (tests give their own)."""

    def bootstrap(resources: ServiceResources) -> Built[TrainingViews]:
        """The handlers and routers over one set of views; the local scheduler as a task."""
        config = settings()
        views = TrainingViews(resources.pool, resources.schema)
        tasks = []
        if config.local_scheduler:
            scheduler = LocalScheduler(
                resources.store, views, views, now=now, artifact_root=config.artifact_root,
                poll_s=config.poll_seconds, metric_batch=config.metric_batch_points,
                max_runtime_s=config.max_runtime_seconds,
            )  # fmt: skip
            tasks.append(BackgroundTask("local-scheduler", scheduler.run))
        routers = [training_jobs_router(views, resources.store)]
        commands = build_registry(views, now, local_programs=config.local_programs)
        return Built(views, commands, routers, tasks)

    return bootstrap


# Read from the environment once per process, when the host first builds the service.
SETTINGS: Callable[[], TrainingSettings] = functools.cache(TrainingSettings)
WIRING = Wiring(training_bootstrap(SETTINGS, utc_now))
