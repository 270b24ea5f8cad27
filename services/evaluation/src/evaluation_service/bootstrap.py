"""Built once per started service: the views, the handlers, the routers and the worker."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from evaluation_service.api import runs_router
from evaluation_service.application import Clock, build_registry
from evaluation_service.scoring.worker import RunScorer
from evaluation_service.settings import EvaluationSettings
from evaluation_service.views import EvaluationViews
from llmops_runtime.service import BackgroundTask, Built, ServiceResources, Wiring

Bootstrap = Callable[[ServiceResources], Built[EvaluationViews]]


def utc_now() -> datetime:
    """The wall clock, in UTC."""
    return datetime.now(UTC)


def evaluation_bootstrap(settings: Callable[[], EvaluationSettings], now: Clock) -> Bootstrap:
    """A bootstrap over these settings and this clock (tests give their own)."""

    def bootstrap(resources: ServiceResources) -> Built[EvaluationViews]:
        """The handlers, routers and scoring worker over one set of views."""
        config = settings()
        views = EvaluationViews(resources.pool, resources.schema)
        scorer = RunScorer(
            resources.store, views.runs_to_score, now=now, limits=config.read_limits(),
            stale_after=timedelta(seconds=config.stale_after_s), poll_every_s=config.poll_every_s,
        )  # fmt: skip
        routers = [runs_router(views, resources.store)]
        tasks = [BackgroundTask("run-scorer", scorer.run)]
        return Built(views, build_registry(views, now), routers, tasks)

    return bootstrap


# Read from the environment once per process, when the host first builds the service.
SETTINGS: Callable[[], EvaluationSettings] = functools.cache(EvaluationSettings)
WIRING = Wiring(evaluation_bootstrap(SETTINGS, utc_now))
