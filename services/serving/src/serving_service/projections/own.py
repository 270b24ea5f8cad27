"""Projection of the serving service's own events: endpoints, deployments, snapshots."""

from __future__ import annotations

import json

from llmops_events import serving as contracts
from llmops_runtime.projections.projector import Projector
from llmops_runtime.projections.rows import Rows
from llmops_runtime.relay.envelope import EventEnvelope

projector = Projector()
ENDPOINTS = "serving_endpoints"


def _json(value: object) -> str | None:
    return None if value is None else json.dumps(value)


@projector.on(contracts.ServingEndpointDeployed)
async def deployed(rows: Rows, e: contracts.ServingEndpointDeployed, env: EventEnvelope) -> None:
    """A deploying endpoint and its first deployment."""
    d = e.model_dump(mode="json")
    plain = "model_name model_version environment route min_replicas max_replicas owner_team"
    row = {k: d[k] for k in (*plain.split(), "deployed_by")}
    row |= {
        k: _json(d[k])
        for k in ("model_alias", "autoscale_policy", "prompt_policy", "rollback_plan")
    }
    policy = e.prompt_policy
    row |= {
        "serving_endpoint_id": e.serving_endpoint_id, "model_entry_id": e.model_entry_id,
        "prompt_policy_id": None if policy is None else policy.prompt_policy_id,
        "status": "deploying", "deployed_at": e.deployed_at, "updated_at": env.committed_at,
    }  # fmt: skip
    await rows.insert(ENDPOINTS, row, on_conflict=("serving_endpoint_id",))
    await rows.insert("endpoint_deployments", {
        "serving_endpoint_id": e.serving_endpoint_id, "environment": e.environment,
        "route": e.route, "model_entry_id": e.model_entry_id, "model_version": e.model_version,
        "prompt_template_id": None if policy is None else policy.prompt_template_id,
        "valid_from": e.deployed_at,
    }, on_conflict=("serving_endpoint_id", "valid_from"))  # fmt: skip


@projector.on(contracts.ServingEndpointHealthChecked)
async def checked(
    rows: Rows, e: contracts.ServingEndpointHealthChecked, env: EventEnvelope
) -> None:
    """The status the probe decided, and when."""
    values = {"status": e.status, "last_health_check": e.checked_at, "updated_at": env.committed_at}
    await rows.update(ENDPOINTS, {"serving_endpoint_id": e.serving_endpoint_id}, values)


@projector.on(contracts.ServingEndpointDegraded)
async def degraded(rows: Rows, e: contracts.ServingEndpointDegraded, env: EventEnvelope) -> None:
    """Degraded by its traffic."""
    values = {"status": "degraded", "updated_at": env.committed_at}
    await rows.update(ENDPOINTS, {"serving_endpoint_id": e.serving_endpoint_id}, values)


@projector.on(contracts.ServingEndpointRolledBack)
async def rolled_back(
    rows: Rows, e: contracts.ServingEndpointRolledBack, env: EventEnvelope
) -> None:
    """Back on the plan's version: the current deployment ends, the rollback's begins."""
    key = {"serving_endpoint_id": e.serving_endpoint_id}
    await rows.update(ENDPOINTS, key, {
        "model_entry_id": e.model_entry_id, "model_version": e.model_version,
        "rollback_plan": None, "status": "deploying", "updated_at": env.committed_at,
    })  # fmt: skip
    current = await rows.conn.fetchrow(
        f"UPDATE {rows.schema}.endpoint_deployments SET valid_to = $2"
        " WHERE serving_endpoint_id = $1 AND valid_to IS NULL"
        " RETURNING environment, route, prompt_template_id",
        e.serving_endpoint_id, e.rolled_back_at,
    )  # fmt: skip
    if current is not None:
        await rows.insert("endpoint_deployments", dict(current) | key | {
            "model_entry_id": e.model_entry_id, "model_version": e.model_version,
            "valid_from": e.rolled_back_at,
        }, on_conflict=("serving_endpoint_id", "valid_from"))  # fmt: skip


@projector.on(contracts.ServingObservationsRecorded)
async def observed(
    rows: Rows, e: contracts.ServingObservationsRecorded, env: EventEnvelope
) -> None:
    """The bucket's snapshot so far."""
    n = e.total_requests
    await rows.upsert("observability_snapshots", {
        "observation_window_id": e.observation_window_id,
        "serving_endpoint_id": e.serving_endpoint_id, "time_bucket": e.time_bucket,
        "bucket_seconds": e.bucket_seconds, "requests": n, "latency_p50": e.latency_p50,
        "latency_p95": e.latency_p95, "error_rate": e.total_errors / n if n else 0.0,
        "token_per_request": (e.total_tokens_in + e.total_tokens_out) / n if n else 0.0,
        "notes": "", "closed": False, "updated_at": env.committed_at,
    }, key=("observation_window_id",))  # fmt: skip


@projector.on(contracts.ObservationWindowClosed)
async def closed(rows: Rows, e: contracts.ObservationWindowClosed, env: EventEnvelope) -> None:
    """The bucket's final snapshot."""
    key = {"observation_window_id": e.observation_window_id}
    await rows.update("observability_snapshots", key, {
        "latency_p50": e.latency_p50, "latency_p95": e.latency_p95, "error_rate": e.error_rate,
        "token_per_request": e.token_per_request, "requests": e.requests, "notes": e.notes,
        "closed": True, "updated_at": env.committed_at,
    })  # fmt: skip
