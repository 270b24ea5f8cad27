"""Built once per started service: settings, views, handlers and routers."""

from __future__ import annotations

import functools
from collections.abc import Callable

from llmops_runtime.service import Built, ServiceResources, Wiring
from serving_service.api import endpoints_router
from serving_service.application import build_registry
from serving_service.application.read_model import Clock, utc_now
from serving_service.settings import ServingSettings
from serving_service.views import ServingViews

Bootstrap = Callable[[ServiceResources], Built[ServingViews]]


def serving_bootstrap(settings: Callable[[], ServingSettings], now: Clock) -> Bootstrap:
    """A bootstrap over these settings and this clock (tests give their own)."""

    def bootstrap(resources: ServiceResources) -> Built[ServingViews]:
        """The handlers and routers over one set of views."""
        config = settings()
        views = ServingViews(resources.pool, resources.schema)
        commands = build_registry(
            views, now, probe_hosts=config.probe_hosts, bucket_seconds=config.bucket_seconds,
            degrade_min_requests=config.degrade_min_requests,
        )  # fmt: skip
        return Built(views, commands, [endpoints_router(views)])

    return bootstrap


SETTINGS: Callable[[], ServingSettings] = functools.cache(ServingSettings)
WIRING = Wiring(serving_bootstrap(SETTINGS, utc_now))
