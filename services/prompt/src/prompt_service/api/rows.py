"""Rows of the prompt read models, and aggregates rebuilt from the store, as JSON."""

from __future__ import annotations

import functools
from typing import Any

from llmops_runtime.http.rows import row_json as kit_row_json
from prompt_service.domain import PromptExperiment, PromptTemplate

# Every JSON column of the prompt read models (each table has some of them).
row_json = functools.partial(
    kit_row_json, json_columns=("context_tags", "allocation", "observation_counts", "conclusion")
)


def template_state(template: PromptTemplate) -> dict[str, Any]:
    """A template aggregate as JSON."""
    return {
        "prompt_template_id": str(template.id),
        "name": template.name,
        "version": template.version_label,
        "language": template.language,
        "content": template.content,
        "context_tags": template.context_tags,
        "status": template.status,
        "created_at": template.created_on.isoformat(),
        "updated_at": template.modified_on.isoformat(),
        "stream_version": template.version,
    }


def experiment_state(experiment: PromptExperiment) -> dict[str, Any]:
    """An experiment aggregate as JSON."""
    return {
        "prompt_experiment_id": str(experiment.id),
        "name": experiment.name,
        "template_a_id": experiment.template_a_id,
        "template_b_id": experiment.template_b_id,
        "allocation": experiment.allocation,
        "metric": experiment.metric,
        "start_at": experiment.start_at.isoformat(),
        "end_at": experiment.end_at and experiment.end_at.isoformat(),
        "min_traffic_per_variant": experiment.min_traffic_per_variant,
        "status": experiment.status,
        "observation_counts": {v: s.count for v, s in experiment.observations.items()},
        "outcome": experiment.outcome,
        "winner_template_id": experiment.winner_template_id,
        "p_value": experiment.p_value,
        "stream_version": experiment.version,
    }
