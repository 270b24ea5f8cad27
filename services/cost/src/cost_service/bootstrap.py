"""Built once per started service: settings, views, handlers and routers."""

from __future__ import annotations

import functools
from collections.abc import Callable

from cost_service.api import cost_routers
from cost_service.application import build_registry, utc_now
from cost_service.application.handlers import Clock
from cost_service.settings import CostSettings
from cost_service.views import CostViews
from llmops_runtime.service import Built, ServiceResources, Wiring

Bootstrap = Callable[[ServiceResources], Built[CostViews]]


def cost_bootstrap(settings: Callable[[], CostSettings], now: Clock) -> Bootstrap:
    """A bootstrap over these settings and this clock (tests give their own)."""

    def bootstrap(resources: ServiceResources) -> Built[CostViews]:
        """The handlers and routers over one set of views."""
        config = settings()
        views = CostViews(resources.pool, resources.schema)
        commands = build_registry(views, config.reconciliation_tolerance, now)
        return Built(views, commands, cost_routers(views, resources.store))

    return bootstrap


# Read from the environment once per process, when the host first builds the service.
SETTINGS: Callable[[], CostSettings] = functools.cache(CostSettings)
WIRING = Wiring(cost_bootstrap(SETTINGS, utc_now))
