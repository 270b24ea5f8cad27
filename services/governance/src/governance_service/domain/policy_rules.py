"""The typed rule kinds a GovernancePolicy holds, validated before they are stored."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

from llmops_domain.errors import ValidationFailed

MAX_RULES = 50
MAX_TOKENS = 1000
Name = Annotated[str, Field(min_length=1, max_length=200)]


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ProhibitedTokens(_Rule):
    """Prompt content containing any of these tokens (case-insensitive) cannot go live."""

    kind: Literal["prohibited_tokens"]
    tokens: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        min_length=1, max_length=MAX_TOKENS
    )


class RequiredEvaluations(_Rule):
    """Approval needs this many completed runs per type, and aggregate scores at thresholds."""

    kind: Literal["required_evaluations"]
    minimum_runs: dict[
        Literal["automated", "human", "llm_judge"], Annotated[int, Field(ge=1, le=100)]
    ]
    thresholds: dict[Name, float] = Field(default_factory=dict, max_length=50)

    @model_validator(mode="after")
    def _some_requirement(self) -> RequiredEvaluations:
        if not self.minimum_runs:
            raise ValueError("minimum_runs names at least one evaluation type")
        return self


class MaxTrainingRetries(_Rule):
    """Automatic retries a training job may have; above 3 only with an approved override."""

    kind: Literal["max_training_retries"]
    max_retries: int = Field(ge=0, le=3)


class RollbackPlanRequiredEnvs(_Rule):
    """Deployments to these environments need a rollback plan and a backup reference."""

    kind: Literal["rollback_plan_required_envs"]
    environments: list[Literal["DEV", "STG", "PROD"]] = Field(min_length=1, max_length=3)


class BudgetCap(BaseModel):
    """A spend cap for a team or a model per period; hard at or above soft."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    team: Name | None = None
    model: Name | None = None
    period: Literal["day", "month"]
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    soft_limit: float = Field(gt=0)
    hard_limit: float = Field(gt=0)

    @model_validator(mode="after")
    def _consistent(self) -> BudgetCap:
        if (self.team is None) == (self.model is None):
            raise ValueError("a cap names exactly one of team or model")
        if self.hard_limit < self.soft_limit:
            raise ValueError("hard_limit must be at least soft_limit")
        return self


class BudgetCaps(_Rule):
    """Spend caps: crossing a soft limit alerts, crossing a hard one refuses new spend."""

    kind: Literal["budget_caps"]
    caps: list[BudgetCap] = Field(min_length=1, max_length=100)


Rule = Annotated[
    ProhibitedTokens
    | RequiredEvaluations
    | MaxTrainingRetries
    | RollbackPlanRequiredEnvs
    | BudgetCaps,
    Field(discriminator="kind"),
]
RULE_KINDS: tuple[str, ...] = (
    "prohibited_tokens",
    "required_evaluations",
    "max_training_retries",
    "rollback_plan_required_envs",
    "budget_caps",
)
_RULES = TypeAdapter(list[Rule])


def parse_rules(raw: Sequence[Any]) -> list[Rule]:
    """Typed rules from their JSON form; ValidationFailed names each bad field (rules.N.x)."""
    if not isinstance(raw, Sequence) or isinstance(raw, str | bytes):
        raise ValidationFailed({"rules": "a list of rule objects"})
    if not raw:
        raise ValidationFailed({"rules": "at least one rule"})
    if len(raw) > MAX_RULES:
        raise ValidationFailed({"rules": f"at most {MAX_RULES} rules"})
    try:
        rules = _RULES.validate_python(list(raw))
    except ValidationError as exc:
        problems = {
            ".".join(["rules", *map(str, e["loc"])]): e["msg"]
            for e in exc.errors(include_url=False)[:20]
        }
        raise ValidationFailed(problems) from None
    kinds = [r.kind for r in rules]
    twice = sorted({k for k in kinds if kinds.count(k) > 1})
    if twice:
        raise ValidationFailed({"rules": f"one rule per kind; repeated: {', '.join(twice)}"})
    return rules


def rules_as_json(rules: Sequence[Rule]) -> list[dict[str, Any]]:
    """The rules as plain JSON, as they are stored and published."""
    return [r.model_dump(mode="json", exclude_none=True) for r in rules]
