"""Handlers of the observation commands: record a batch of request records, close buckets."""

from __future__ import annotations

from datetime import timedelta

from eventsourcing.domain import Aggregate

from llmops_events import serving as contracts
from llmops_runtime.commands import CommandRegistry, HandlerContext
from serving_service.application.read_model import Clock, ServingReadModel
from serving_service.domain import ObservationWindow, ServingEndpoint
from serving_service.domain.errors import RecordsInFuture
from serving_service.domain.observations import by_bucket

# Clocks of the servers that send records may run a little ahead of this one.
CLOCK_SKEW = timedelta(seconds=60)


def register_observation_handlers(
    registry: CommandRegistry,
    reads: ServingReadModel,
    now: Clock,
    *,
    bucket_seconds: int,
    degrade_min_requests: int,
) -> None:
    """Register record_observations and close_observation_windows."""

    @registry.handles(contracts.RecordServingObservations)
    async def record(
        p: contracts.RecordServingObservations, ctx: HandlerContext
    ) -> list[Aggregate]:
        """Each bucket's records into its window; the endpoint degrades past its triggers."""
        endpoint = await ctx.require(p.serving_endpoint_id, ServingEndpoint)
        latest = max(r.timestamp for r in p.records)
        if latest > now() + CLOCK_SKEW:
            raise RecordsInFuture(f"a record is stamped {latest.isoformat()}, after now")
        changed: list[Aggregate] = []
        for start, batch in sorted(by_bucket(p.records, bucket_seconds).items()):
            window_id = ObservationWindow.id_for(endpoint.id, start)
            window = await ctx.load(window_id, ObservationWindow)
            if window is None:
                window = ObservationWindow.open(endpoint.id, start, bucket_seconds, batch)
            else:
                window.record(batch)
            changed.append(window)
            snap = window.snapshot()
            if window.requests >= degrade_min_requests:
                endpoint.degrade_on_traffic(start, snap["latency_p95"], snap["error_rate"])
        return [*changed, endpoint]

    @registry.handles(contracts.CloseObservationWindows)
    async def close(p: contracts.CloseObservationWindows, ctx: HandlerContext) -> list[Aggregate]:
        """Close the endpoint's buckets that ended by `before`: snapshot, usage, prompts."""
        endpoint = await ctx.require(p.serving_endpoint_id, ServingEndpoint)
        closed: list[Aggregate] = []
        for start in await reads.open_windows(endpoint.id, p.before):
            window = await ctx.load(ObservationWindow.id_for(endpoint.id, start), ObservationWindow)
            if window is not None and not window.closed and window.end <= p.before:
                window.close(endpoint)
                closed.append(window)
        return closed


__all__ = ["register_observation_handlers"]
