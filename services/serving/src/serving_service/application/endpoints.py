"""Handlers of the endpoint commands: deploy, roll back, record a health check."""

from __future__ import annotations

from collections.abc import Collection
from uuid import UUID

from llmops_events import serving as contracts
from llmops_runtime.budgets import BUDGET_EXCEEDED
from llmops_runtime.commands import CommandRegistry, CommandRejected, HandlerContext
from serving_service.application.read_model import Clock, ServingReadModel
from serving_service.domain import ServingEndpoint
from serving_service.domain.deployment_rules import (
    KnownModel,
    check_approved,
    check_autoscale,
    check_replicas,
    check_rollback_plan,
    check_route,
    normalized_route,
)
from serving_service.domain.errors import AliasNotFound, PromptLabelNotFound, RouteTaken
from serving_service.domain.health import ProbeAnswer


async def resolve_model(p: contracts.DeployServingEndpoint, reads: ServingReadModel) -> KnownModel:
    """The approved version the command names, by id or through its catalog alias."""
    model_id = p.model_entry_id
    if p.model_alias is not None:
        model_id = await reads.alias_target(p.model_alias.name, p.model_alias.alias)
        if model_id is None:
            raise AliasNotFound(f"{p.model_alias.name} has no alias {p.model_alias.alias!r}")
    assert model_id is not None  # the contract requires one of the two
    return check_approved(await reads.model(model_id), f"model version {model_id}")


async def resolve_prompt(
    p: contracts.DeployServingEndpoint, reads: ServingReadModel
) -> dict[str, str] | None:
    """The prompt policy: the label and the template it points at now."""
    if p.prompt_policy is None:
        return None
    found = await reads.prompt_label(p.prompt_policy.name, p.prompt_policy.label)
    if found is None:
        raise PromptLabelNotFound(
            f"prompt {p.prompt_policy.name} has no label {p.prompt_policy.label!r}"
        )
    label_id, template_id = found
    return {
        "prompt_policy_id": str(label_id), "name": p.prompt_policy.name,
        "label": p.prompt_policy.label, "prompt_template_id": str(template_id),
    }  # fmt: skip


def register_endpoint_handlers(
    registry: CommandRegistry, reads: ServingReadModel, now: Clock, probe_hosts: Collection[str]
) -> None:
    """Register deploy, rollback and report_health_check."""

    @registry.handles(contracts.DeployServingEndpoint)
    async def deploy(
        p: contracts.DeployServingEndpoint, ctx: HandlerContext
    ) -> list[ServingEndpoint]:
        """Deploy on an approved version, with valid replicas, triggers and rollback plan,
        within the team's and the model's budgets."""
        route = normalized_route(p.route)
        check_route(route, probe_hosts)
        check_replicas(p.min_replicas, p.max_replicas)
        check_autoscale(p.autoscale_policy)
        model = await resolve_model(p, reads)
        block = await reads.budget_block(p.owner_team, UUID(model.model_entry_id), now())
        if block is not None:
            raise CommandRejected(BUDGET_EXCEEDED, block.describe())
        plan = p.rollback_plan
        target = None if plan is None else await reads.model(plan.model_entry_id)
        check_rollback_plan(p.environment, model, target, plan is not None)
        # The id derives from environment and route: a second deploy of the route finds it
        # (or, concurrently, conflicts on the stream's first version and is retried into this).
        if await ctx.load(ServingEndpoint.id_for(p.environment, route), ServingEndpoint):
            raise RouteTaken(f"{route[:200]} is already served in {p.environment}")
        endpoint = ServingEndpoint.deploy(
            model=model, model_alias=None if p.model_alias is None else p.model_alias.model_dump(),
            environment=p.environment, route=route, min_replicas=p.min_replicas,
            max_replicas=p.max_replicas,
            autoscale_policy=p.autoscale_policy.model_dump(mode="json"),
            prompt_policy=await resolve_prompt(p, reads),
            rollback_plan=None if plan is None else plan.model_dump(mode="json"),
            owner_team=p.owner_team, actor=ctx.actor, now=now(),
        )  # fmt: skip
        return [endpoint]

    @registry.handles(contracts.RollBackServingEndpoint)
    async def roll_back(
        p: contracts.RollBackServingEndpoint, ctx: HandlerContext
    ) -> list[ServingEndpoint]:
        """Return to the rollback plan's version (still approved) in one event."""
        endpoint = await ctx.require(p.serving_endpoint_id, ServingEndpoint)
        plan = endpoint.rollback_plan
        target = None if plan is None else await reads.model(plan["model_entry_id"])
        endpoint.roll_back(target=target, reason=p.reason, actor=ctx.actor, now=now())
        return [endpoint]

    @registry.handles(contracts.ReportHealthCheck)
    async def report_health(
        p: contracts.ReportHealthCheck, ctx: HandlerContext
    ) -> list[ServingEndpoint]:
        """An external prober's answer."""
        endpoint = await ctx.require(p.serving_endpoint_id, ServingEndpoint)
        answer = ProbeAnswer(p.reachable, p.http_status, p.latency_ms, p.detail)
        endpoint.record_health_check(answer, now())
        return [endpoint]
