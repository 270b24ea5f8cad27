"""Rows of the prompt read models, and aggregates rebuilt from the store, as JSON."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from prompt_service.domain import PromptExperiment, PromptTemplate

_JSON_COLUMNS = ("context_tags", "allocation", "observation_counts", "conclusion")


def row_json(row: asyncpg.Record) -> dict[str, Any]:
    """A read-model row with JSON columns decoded, ids and times as strings."""
    item: dict[str, Any] = {}
    for key, value in dict(row).items():
        if key in _JSON_COLUMNS and value is not None:
            value = json.loads(value)
        elif isinstance(value, UUID):
            value = str(value)
        elif isinstance(value, datetime):
            value = value.isoformat()
        item[key] = value
    return item


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
