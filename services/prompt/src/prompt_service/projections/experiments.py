"""Projection of the prompt service's experiment events into prompt_experiments."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import asyncpg

from llmops_events import prompt as contracts


async def project_experiment_event(
    conn: asyncpg.Connection, schema: str, wire_type: str, p: Mapping[str, Any], at: datetime
) -> None:
    """Apply one experiment event; other wire types are ignored."""
    table = f"{schema}.prompt_experiments"
    if wire_type == contracts.PromptExperimentStarted.WIRE_NAME:
        end_at = p["end_at"] and datetime.fromisoformat(p["end_at"])
        await conn.execute(
            f"INSERT INTO {table} (prompt_experiment_id, name, template_a_id, template_b_id,"
            " allocation, metric, start_at, end_at, min_traffic_per_variant, statistical_test,"
            " alpha, status, observation_counts, started_by, updated_at) VALUES ($1, $2, $3,"
            " $4, $5, $6, $7, $8, $9, $10, $11, 'running', '{\"a\": 0, \"b\": 0}', $12, $13)"
            " ON CONFLICT (prompt_experiment_id) DO NOTHING",
            p["prompt_experiment_id"], p["name"], p["template_a_id"], p["template_b_id"],
            json.dumps(p["allocation"]), p["metric"], datetime.fromisoformat(p["start_at"]),
            end_at, p["min_traffic_per_variant"], p["statistical_test"], p["alpha"],
            p["started_by"], at,
        )  # fmt: skip
    elif wire_type == contracts.PromptExperimentObservationsRecorded.WIRE_NAME:
        await conn.execute(
            f"UPDATE {table} SET observation_counts = jsonb_set(observation_counts,"
            " ARRAY[$2::text], to_jsonb((observation_counts->>$2)::int + $3)), updated_at = $4"
            " WHERE prompt_experiment_id = $1",
            p["prompt_experiment_id"], p["variant"], p["count"], at,
        )  # fmt: skip
    elif wire_type == contracts.PromptExperimentConcluded.WIRE_NAME:
        conclusion = {
            key: p[key]
            for key in (
                "outcome", "winner_variant", "winner_template_id", "stop_condition",
                "statistical_test", "alpha", "t_statistic", "degrees_of_freedom", "p_value",
                "variants", "concluded_by",
            )
        }  # fmt: skip
        await conn.execute(
            f"UPDATE {table} SET status = 'concluded', outcome = $2, winner_template_id = $3,"
            " conclusion = $4, updated_at = $5 WHERE prompt_experiment_id = $1",
            p["prompt_experiment_id"], p["outcome"], p["winner_template_id"],
            json.dumps(conclusion), at,
        )  # fmt: skip
