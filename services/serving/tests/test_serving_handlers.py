"""The serving handlers, through the command registry, without Kafka or PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest

from llmops_runtime.budgets import BudgetBlock
from llmops_runtime.commands import CommandRejected
from llmops_testing import InMemoryHandlerContext, check_scenario
from serving_service.application import build_registry
from serving_service.domain import AGGREGATES, ObservationWindow, ServingEndpoint

from .conftest import MODEL, NOW, OTHER, PREVIOUS, FakeReads, deployment

DEPLOY = "serving.deploy_endpoint"


def context(reads: FakeReads | None = None) -> InMemoryHandlerContext:
    return InMemoryHandlerContext(build_registry(reads or FakeReads(), lambda: NOW))


async def run(ctx: InMemoryHandlerContext, wire: str, payload: dict[str, Any]) -> list[Any]:
    """The aggregates a command returned (typed loosely: each test knows which)."""
    return list(await ctx.run(wire, payload))


async def refused(ctx: InMemoryHandlerContext, wire: str, payload: dict[str, Any]) -> str:
    with pytest.raises(CommandRejected) as rejected:
        await ctx.run(wire, payload)
    return rejected.value.code


class TestDeploy:
    async def test_an_approved_version_is_deployed_deploying(self) -> None:
        [endpoint] = await run(context(), DEPLOY, deployment())
        assert isinstance(endpoint, ServingEndpoint)
        assert (endpoint.status, endpoint.model_entry_id, endpoint.owner_team) == (
            "deploying",
            str(MODEL),
            "nlp",
        )

    async def test_an_alias_is_resolved_and_recorded(self) -> None:
        reads = FakeReads(aliases={("support-llm", "champion"): MODEL})
        alias = {"name": "support-llm", "alias": "champion"}
        payload = deployment(model_alias=alias) | {"model_entry_id": None}
        [endpoint] = await run(context(reads), DEPLOY, payload)
        assert (endpoint.model_entry_id, endpoint.model_alias) == (str(MODEL), alias)

    async def test_a_prompt_label_is_resolved_to_its_template(self) -> None:
        label, template = uuid4(), uuid4()
        reads = FakeReads(labels={("greeting", "production"): (label, template)})
        payload = deployment(prompt_policy={"name": "greeting", "label": "production"})
        [endpoint] = await run(context(reads), DEPLOY, payload)
        assert endpoint.prompt_policy["prompt_template_id"] == str(template)

    @pytest.mark.parametrize(("overrides", "code"), [
        ({"model_entry_id": str(uuid4())}, "model_not_approved"),
        ({"rollback_plan": None}, "rollback_plan_required"),
        ({"rollback_plan": {"model_entry_id": str(OTHER), "backup_reference": "x"}},
         "invalid_rollback_plan"),
        ({"rollback_plan": {"model_entry_id": str(MODEL), "backup_reference": "x"}},
         "invalid_rollback_plan"),
        ({"autoscale_policy": {"triggers": [{"metric": "cpu_utilization", "threshold": 0.7}]}},
         "autoscale_triggers_required"),
        ({"autoscale_policy": {"triggers": [{"metric": "latency_p95_ms", "threshold": 300}]}},
         "autoscale_triggers_required"),
        ({"min_replicas": 5, "max_replicas": 2}, "invalid_replicas"),
        ({"route": "http://example.com/v1"}, "route_not_allowed"),
        ({"route": "ftp://127.0.0.1/v1"}, "route_not_allowed"),
        ({"prompt_policy": {"name": "greeting", "label": "none"}}, "prompt_label_not_found"),
    ])  # fmt: skip
    async def test_a_deployment_breaking_a_rule_is_refused(
        self, overrides: dict[str, Any], code: str
    ) -> None:
        assert await refused(context(), DEPLOY, deployment(**overrides)) == code

    async def test_a_dev_endpoint_needs_no_rollback_plan(self) -> None:
        [endpoint] = await run(context(), DEPLOY, deployment(environment="DEV", rollback_plan=None))
        assert endpoint.rollback_plan is None

    async def test_a_route_is_served_once_per_environment(self) -> None:
        ctx = context()
        await run(ctx, DEPLOY, deployment())
        assert await refused(ctx, DEPLOY, deployment(route="http://127.0.0.1:9000/v1/")) == (
            "route_taken"
        )
        [staging] = await run(ctx, DEPLOY, deployment(environment="STG"))
        assert staging.environment == "STG"

    async def test_replicas_are_bounded_by_the_contract(self) -> None:
        from pydantic import ValidationError

        with pytest.raises(ValidationError):
            await run(context(), DEPLOY, deployment(max_replicas=1001))


class TestHealthAndRollback:
    async def test_the_probe_answer_sets_the_status(self) -> None:
        ctx = context()
        [endpoint] = await run(ctx, DEPLOY, deployment())
        report = {"serving_endpoint_id": str(endpoint.id), "reachable": True, "http_status": 200}
        [ok] = await run(ctx, "serving.report_health_check", report | {"latency_ms": 20})
        assert (ok.status, ok.last_health_check) == ("healthy", NOW)
        [slow] = await run(ctx, "serving.report_health_check", report | {"latency_ms": 900})
        assert slow.status == "degraded"
        [down] = await run(ctx, "serving.report_health_check", report | {"reachable": False})
        assert down.status == "failed"
        [err] = await run(ctx, "serving.report_health_check", report | {"http_status": 503})
        assert err.status == "failed"

    async def test_a_rollback_returns_to_the_plan_in_one_event(self) -> None:
        ctx = context()
        [endpoint] = await run(ctx, DEPLOY, deployment())
        [back] = await run(
            ctx,
            "serving.rollback_endpoint",
            {"serving_endpoint_id": str(endpoint.id), "reason": "bad"},
        )
        assert back.version == endpoint.version + 1  # one event
        assert (back.model_entry_id, back.status, back.rollback_plan) == (
            str(PREVIOUS),
            "deploying",
            None,
        )
        again = {"serving_endpoint_id": str(endpoint.id), "reason": "again"}
        assert await refused(ctx, "serving.rollback_endpoint", again) == "invalid_rollback_plan"


def records(n: int, latency: float, **extra: Any) -> list[dict[str, Any]]:
    stamp = (NOW - timedelta(seconds=10)).isoformat()
    return [{"latency_ms": latency, "tokens_in": 10, "tokens_out": 30, "timestamp": stamp} | extra
            for _ in range(n)]  # fmt: skip


class TestObservations:
    async def test_records_make_a_snapshot_and_slow_traffic_degrades(self) -> None:
        ctx = context()
        [endpoint] = await run(ctx, DEPLOY, deployment())
        eid = str(endpoint.id)
        payload = {"serving_endpoint_id": eid, "records": records(100, 50.0)}
        window, ep = await run(ctx, "serving.record_observations", payload)
        assert isinstance(window, ObservationWindow) and ep.status == "deploying"
        assert window.snapshot()["latency_p95"] == pytest.approx(50.0, rel=0.02)
        assert window.snapshot()["token_per_request"] == 40
        slow = {"serving_endpoint_id": eid, "records": records(400, 900.0)}
        window, ep = await run(ctx, "serving.record_observations", slow)
        assert window.requests == 500 and ep.status == "degraded"

    async def test_records_from_the_future_are_refused(self) -> None:
        ctx = context()
        [endpoint] = await run(ctx, DEPLOY, deployment())
        late = [{"latency_ms": 1, "timestamp": (NOW + timedelta(hours=1)).isoformat()}]
        payload = {"serving_endpoint_id": str(endpoint.id), "records": late}
        assert await refused(ctx, "serving.record_observations", payload) == "records_in_future"

    async def test_closing_publishes_usage_and_prompt_observations_once(self) -> None:
        reads = FakeReads()
        ctx = context(reads)
        [endpoint] = await run(ctx, DEPLOY, deployment())
        template = str(uuid4())
        payload = {
            "serving_endpoint_id": str(endpoint.id),
            "records": records(10, 40.0, prompt_template_id=template, score=4.0),
        }
        [window, _] = await run(ctx, "serving.record_observations", payload)
        reads.windows = [window.time_bucket]
        close = {"serving_endpoint_id": str(endpoint.id), "before": window.end.isoformat()}
        [closed] = await run(ctx, "serving.close_observation_windows", close)
        assert closed.closed and closed.version == window.version + 3  # closed, usage, prompt
        assert await run(ctx, "serving.close_observation_windows", close) == []
        more = await refused(ctx, "serving.record_observations", payload)
        assert more == "window_closed"


def test_the_events_match_their_contracts() -> None:
    from llmops_events.serving import RequestRecord
    from serving_service.domain.deployment_rules import KnownModel
    from serving_service.domain.health import ProbeAnswer
    from serving_service.domain.observations import by_bucket

    reads = FakeReads()
    plan = {"model_entry_id": str(PREVIOUS), "backup_reference": "s3://b"}
    endpoint = ServingEndpoint.deploy(
        model=reads.models[MODEL], model_alias=None, environment="PROD",
        route="http://127.0.0.1:1/v1", min_replicas=1, max_replicas=2,
        autoscale_policy={"triggers": [{"metric": "latency_p95_ms", "threshold": 1.0}]},
        prompt_policy=None, rollback_plan=plan, owner_team="nlp", actor="a", now=NOW,
    )  # fmt: skip
    endpoint.record_health_check(ProbeAnswer(True, 200, 0.5), NOW)
    endpoint.degrade_on_traffic(NOW, 5.0, 0.0)
    target: KnownModel = reads.models[PREVIOUS]
    endpoint.roll_back(target=target, reason="r", actor="a", now=NOW)
    record = RequestRecord(latency_ms=3, prompt_template_id=uuid4(), timestamp=NOW)
    [(start, batch)] = by_bucket([record], 60).items()
    window = ObservationWindow.open(endpoint.id, start, 60, batch)
    window.close(endpoint)
    check_scenario([*endpoint.collect_events(), *window.collect_events()], AGGREGATES)


def hard_block(team: str, period_end: datetime) -> BudgetBlock:
    return BudgetBlock(
        uuid4(), "team", team, None, period_end, "USD", Decimal("120"), Decimal("100")
    )


async def test_a_team_over_its_hard_budget_cannot_deploy_other_teams_can() -> None:
    reads = FakeReads(blocked={"nlp": hard_block("nlp", NOW + timedelta(days=3))})
    assert await refused(context(reads), DEPLOY, deployment()) == "budget_exceeded"
    [endpoint] = await run(context(reads), DEPLOY, deployment(owner_team="vision"))
    assert isinstance(endpoint, ServingEndpoint)


async def test_a_hard_budget_of_an_ended_period_no_longer_blocks_a_deployment() -> None:
    reads = FakeReads(blocked={"nlp": hard_block("nlp", NOW)})
    [endpoint] = await run(context(reads), DEPLOY, deployment())
    assert isinstance(endpoint, ServingEndpoint)
