"""Rows of the prompt read models, and aggregates rebuilt from the store, as JSON."""

from __future__ import annotations

import functools
from typing import Any

from llmops_runtime.http.rows import row_json as kit_row_json
from llmops_runtime.http.state import state_json
from prompt_service.domain import PromptExperiment, PromptTemplate

# Every JSON column of the prompt read models (each table has some of them).
row_json = functools.partial(
    kit_row_json, json_columns=("context_tags", "allocation", "observation_counts", "conclusion")
)


def template_state(template: PromptTemplate) -> dict[str, Any]:
    """A template aggregate as JSON."""
    return state_json(
        template, "prompt_template_id", "name language content context_tags status",
        version="version_label", created_at="created_on", updated_at="modified_on",
    )  # fmt: skip


def experiment_state(experiment: PromptExperiment) -> dict[str, Any]:
    """An experiment aggregate as JSON."""
    counts = {v: s.count for v, s in experiment.observations.items()}
    return state_json(
        experiment, "prompt_experiment_id",
        "name template_a_id template_b_id allocation metric start_at end_at"
        " min_traffic_per_variant status outcome winner_template_id p_value",
    ) | {"observation_counts": counts}  # fmt: skip
