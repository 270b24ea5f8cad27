"""Pruning of the two tables that grow with traffic: stored command results and processed ids.

`command_results` answers a re-sent command with its first result; `projection_processed`
skips a redelivered event. Both only need to cover the window in which a client may re-send
or a broker may redeliver, so rows older than a retention window are deleted by the service
host, in small batches (each its own short transaction, never a long lock).

Privileges: pruning needs DELETE on `command_results` and `projection_processed` only.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta

import asyncpg
import structlog
from pydantic_settings import BaseSettings, SettingsConfigDict

from llmops_runtime.eventstore.sqlnames import checked_identifier

log = structlog.get_logger(__name__)


class RetentionSettings(BaseSettings):
    """`LLMOPS_COMMANDS_RESULT_RETENTION`, `LLMOPS_PROJECTION_PROCESSED_RETENTION` (ISO 8601
    durations such as `P7D`, or seconds), `LLMOPS_PRUNE_INTERVAL_S`, `LLMOPS_PRUNE_BATCH_ROWS`.
    """

    model_config = SettingsConfigDict(env_prefix="LLMOPS_", extra="ignore")

    commands_result_retention: timedelta = timedelta(days=7)
    projection_processed_retention: timedelta = timedelta(days=7)
    prune_interval_s: float = 3600.0
    prune_batch_rows: int = 10_000


@dataclass(frozen=True, slots=True)
class Pruned:
    """How many rows one pruning pass deleted."""

    command_results: int
    projection_processed: int


async def ensure_pruning_indexes(conn: asyncpg.Connection, schema: str) -> None:
    """Index the recorded time of command results, so a pass reads only what it deletes."""
    s = checked_identifier(schema)
    await conn.execute(
        f"CREATE INDEX IF NOT EXISTS command_results_recorded_at"
        f" ON {s}.command_results (recorded_at)"
    )


async def _delete_batches(pool: asyncpg.Pool, sql: str, older_than: timedelta, rows: int) -> int:
    total = 0
    while True:
        status = await pool.execute(sql, older_than, rows)
        deleted = int(status.split()[-1])
        total += deleted
        if deleted < rows:
            return total


async def prune_command_results(
    pool: asyncpg.Pool, schema: str, older_than: timedelta, *, batch_rows: int = 10_000
) -> int:
    """Delete command results recorded more than older_than ago; the number deleted."""
    s = checked_identifier(schema)
    sql = (
        f"DELETE FROM {s}.command_results WHERE command_id IN ("
        f"SELECT command_id FROM {s}.command_results WHERE recorded_at < now() - $1::interval"
        " LIMIT $2)"
    )
    return await _delete_batches(pool, sql, older_than, batch_rows)


async def prune_processed_ids(
    pool: asyncpg.Pool, schema: str, older_than: timedelta, *, batch_rows: int = 10_000
) -> int:
    """Delete processed event ids claimed more than older_than ago; the number deleted."""
    s = checked_identifier(schema)
    sql = (
        f"DELETE FROM {s}.projection_processed WHERE (projection, event_id) IN ("
        f"SELECT projection, event_id FROM {s}.projection_processed"
        " WHERE processed_at < now() - $1::interval LIMIT $2)"
    )
    return await _delete_batches(pool, sql, older_than, batch_rows)


async def prune_once(pool: asyncpg.Pool, schema: str, settings: RetentionSettings) -> Pruned:
    """One pruning pass over both tables."""
    batch = settings.prune_batch_rows
    return Pruned(
        await prune_command_results(
            pool, schema, settings.commands_result_retention, batch_rows=batch
        ),
        await prune_processed_ids(
            pool, schema, settings.projection_processed_retention, batch_rows=batch
        ),
    )


async def prune_forever(pool: asyncpg.Pool, schema: str, settings: RetentionSettings) -> None:
    """Prune at start and then every prune_interval_s, until cancelled."""
    while True:
        pruned = await prune_once(pool, schema, settings)
        if pruned.command_results or pruned.projection_processed:
            log.info(
                "pruned",
                schema=schema,
                command_results=pruned.command_results,
                projection_processed=pruned.projection_processed,
            )
        await asyncio.sleep(settings.prune_interval_s)
