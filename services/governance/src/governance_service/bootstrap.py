"""Built once per started service: settings, views, handlers, routers and background tasks."""

from __future__ import annotations

import functools
from collections.abc import Callable

from governance_service.api import build_routers
from governance_service.api.audit_log import audit_log_router
from governance_service.application import Clock, build_registry, utc_now
from governance_service.application.bootstrap_admins import keep_admins
from governance_service.application.review_clock import ReviewClock
from governance_service.audit_log_views import AuditLogViews
from governance_service.settings import GovernanceSettings
from governance_service.views import GovernanceViews
from llmops_runtime.service import BackgroundTask, Built, ServiceResources, Wiring

Bootstrap = Callable[[ServiceResources], Built[GovernanceViews]]


def governance_bootstrap(settings: Callable[[], GovernanceSettings], now: Clock) -> Bootstrap:
    """A bootstrap over these settings and this clock (tests give their own of both)."""

    def bootstrap(resources: ServiceResources) -> Built[GovernanceViews]:
        """The handlers, routers, bootstrap admins and review clock over one set of views."""
        config = settings()
        store = resources.store
        views = GovernanceViews(resources.pool, resources.schema)
        clock = ReviewClock(
            store, views.due_policies, now=now, period=config.review_period,
            check_every_s=config.review_check_seconds,
        )  # fmt: skip
        admins = config.bootstrap_admins
        tasks = [
            BackgroundTask("bootstrap-admins", lambda: keep_admins(store, admins)),
            BackgroundTask("review-clock", clock.run),
        ]
        audit_log = audit_log_router(AuditLogViews(resources.pool, resources.schema))
        routers = [*build_routers(views, store), audit_log]
        return Built(views, build_registry(now), routers, tasks)

    return bootstrap


# Read from the environment once per process, when the host first builds the service.
SETTINGS: Callable[[], GovernanceSettings] = functools.cache(GovernanceSettings)
WIRING = Wiring(governance_bootstrap(SETTINGS, utc_now))
