"""Validation of a new A/B experiment: templates, allocation, metric and stop conditions."""

from collections.abc import Mapping
from datetime import datetime
from typing import Literal, get_args

from llmops_domain.errors import ValidationFailed
from prompt_service.domain.errors import TargetNotLive

Metric = Literal["latency", "CSAT", "ROUGE", "custom"]
METRICS: tuple[str, ...] = get_args(Metric)
VARIANTS = ("a", "b")
# Welch's t-test needs two observations per variant to estimate a variance.
MIN_TRAFFIC_FLOOR = 2


def allocation_errors(allocation: Mapping[str, int]) -> dict[str, str]:
    """Field errors unless the split gives both variants a whole percentage summing to 100."""
    if set(allocation) != set(VARIANTS):
        return {"allocation": 'must split traffic between "a" and "b"'}
    shares = list(allocation.values())
    if any(isinstance(s, bool) or not isinstance(s, int) or s < 1 for s in shares):
        return {"allocation": "each variant needs a whole percentage of at least 1"}
    if sum(shares) != 100:
        return {"allocation": f"percentages must sum to 100, not {sum(shares)}"}
    return {}


def stop_condition_errors(
    start_at: datetime, end_at: datetime | None, min_traffic_per_variant: int | None
) -> dict[str, str]:
    """Field errors unless at least one well-formed stop condition is given."""
    if end_at is None and min_traffic_per_variant is None:
        return {"stop_conditions": "give end_at (a time window) or min_traffic_per_variant"}
    errors: dict[str, str] = {}
    if start_at.tzinfo is None:
        errors["start_at"] = "must carry a time zone"
    if end_at is not None and (end_at.tzinfo is None or start_at.tzinfo is None):
        errors["end_at"] = "must carry a time zone"
    elif end_at is not None and end_at <= start_at:
        errors["end_at"] = "must be after start_at"
    if min_traffic_per_variant is not None and min_traffic_per_variant < MIN_TRAFFIC_FLOOR:
        errors["min_traffic_per_variant"] = f"must be at least {MIN_TRAFFIC_FLOOR}"
    return errors


def validate_experiment(
    *,
    name: str,
    template_a_id: str,
    template_b_id: str,
    allocation: Mapping[str, int],
    metric: str,
    start_at: datetime,
    end_at: datetime | None,
    min_traffic_per_variant: int | None,
) -> None:
    """Raise ValidationFailed naming every field that breaks an experiment rule."""
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "required"
    if template_a_id == template_b_id:
        errors["template_b_id"] = "must differ from template_a_id"
    if metric not in METRICS:
        errors["metric"] = f"must be one of {', '.join(METRICS)}"
    errors |= allocation_errors(allocation)
    errors |= stop_condition_errors(start_at, end_at, min_traffic_per_variant)
    if errors:
        raise ValidationFailed(errors)


def ensure_both_live(template_a_status: str, template_b_status: str) -> None:
    """Refuse an experiment unless both templates are live."""
    statuses = {"template_a_id": template_a_status, "template_b_id": template_b_status}
    not_live = {field: status for field, status in statuses.items() if status != "live"}
    if not_live:
        raise TargetNotLive(
            "an experiment compares two live templates",
            field_errors={
                field: f"template is {status}, not live" for field, status in not_live.items()
            },
            details={"statuses": statuses},
        )
