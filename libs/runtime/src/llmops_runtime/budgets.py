"""A service's projection of the cost service's budget announcements, and the check on it.

The cost service decides when a budget's hard limit is exceeded (`cost.budget.*`); a service
that starts costly work (training jobs, deployments) keeps the latest announcement of each
budget in its own table and refuses work of a blocked team or model with `budget_exceeded`.
No pricing happens here: only "is this team or model over a hard limit, as last announced".

Staleness: the table is a local projection of `llmops.cost.events`. A budget is blocked from
the moment this projection reads its `hard_limit_exceeded` (the cost service's pricing lag
plus this projection's lag, shown by /readyz and /metrics), and unblocked when it reads the
`cleared`, or as soon as the announced period has ended, whichever comes first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import asyncpg

from llmops_events.cost import BudgetCleared, BudgetHardLimitExceeded, BudgetSoftLimitCrossed
from llmops_runtime.eventstore.sqlnames import checked_identifier
from llmops_runtime.projections.declaration import Projection
from llmops_runtime.projections.projector import Projector
from llmops_runtime.projections.rows import Rows
from llmops_runtime.read_model_tables import ReadModelTables
from llmops_runtime.rejections import CommandRejected
from llmops_runtime.relay.envelope import EventEnvelope

COST_EVENTS_TOPIC = "llmops.cost.events"
TABLE = "cost_budget_states"
BUDGET_EVENTS = (BudgetSoftLimitCrossed, BudgetHardLimitExceeded, BudgetCleared)
BUDGET_EXCEEDED = "budget_exceeded"
"""The refusal code; declare it retryable (it depends on the cost service's announcements)."""

TABLES = ReadModelTables({
    TABLE: """
CREATE TABLE IF NOT EXISTS {s}.cost_budget_states (
    budget_id      uuid        PRIMARY KEY,
    scope          text        NOT NULL,
    team           text,
    model_entry_id uuid,
    state          text        NOT NULL,
    period_start   timestamptz NOT NULL,
    period_end     timestamptz NOT NULL,
    currency       text        NOT NULL,
    spent          numeric     NOT NULL,
    hard_limit     numeric     NOT NULL,
    changed_at     timestamptz NOT NULL
);
""",
})  # fmt: skip
projector = Projector()
_Announcement = BudgetSoftLimitCrossed | BudgetHardLimitExceeded | BudgetCleared


async def _keep(rows: Rows, e: _Announcement, state: str, env: EventEnvelope) -> None:
    row = {
        "budget_id": e.budget_id, "scope": e.scope, "team": e.team,
        "model_entry_id": e.model_entry_id, "state": state, "period_start": e.period_start,
        "period_end": e.period_end, "currency": e.currency, "spent": e.spent,
        "hard_limit": e.hard_limit, "changed_at": env.committed_at,
    }  # fmt: skip
    await rows.upsert(TABLE, row, key=("budget_id",))


@projector.on(BudgetSoftLimitCrossed)
async def soft_crossed(rows: Rows, e: BudgetSoftLimitCrossed, env: EventEnvelope) -> None:
    """An alert only: work goes on."""
    await _keep(rows, e, "soft", env)


@projector.on(BudgetHardLimitExceeded)
async def hard_exceeded(rows: Rows, e: BudgetHardLimitExceeded, env: EventEnvelope) -> None:
    """Blocked until cleared or until the period ends."""
    await _keep(rows, e, "hard", env)


@projector.on(BudgetCleared)
async def cleared(rows: Rows, e: BudgetCleared, env: EventEnvelope) -> None:
    """Back under the hard limit."""
    await _keep(rows, e, e.state, env)


def budgets_projection() -> Projection:
    """The projection a service enforcing budgets adds to its own."""
    return TABLES.projection(
        "cost_budgets", topic=COST_EVENTS_TOPIC, projector=projector, tables=(TABLE,)
    )


@dataclass(frozen=True)
class BudgetBlock:
    """A budget over its hard limit in its current period, as last announced."""

    budget_id: UUID
    scope: str
    team: str | None
    model_entry_id: UUID | None
    period_end: datetime
    currency: str
    spent: Decimal
    hard_limit: Decimal

    def describe(self) -> str:
        """For a refusal message."""
        whose = f"team {self.team}" if self.scope == "team" else f"model {self.model_entry_id}"
        return (
            f"the budget of {whose} is over its hard limit ({self.spent} of"
            f" {self.hard_limit} {self.currency}) until {self.period_end.isoformat()}"
        )


class BudgetBlocks:
    """Reads the service's projection of budget announcements."""

    def __init__(self, pool: asyncpg.Pool, schema: str) -> None:
        self._pool = pool
        self._sql = (
            "SELECT budget_id, scope, team, model_entry_id, period_end, currency, spent,"
            f" hard_limit FROM {checked_identifier(schema)}.{TABLE}"
            " WHERE state = 'hard' AND period_end > $3"
            " AND ((scope = 'team' AND team = $1) OR (scope = 'model' AND model_entry_id = $2))"
            " ORDER BY scope DESC LIMIT 1"
        )

    async def blocking(
        self, team: str, model_entry_id: UUID | None, now: datetime
    ) -> BudgetBlock | None:
        """The team's (else the model's) budget over its hard limit at `now`, if any."""
        row: Any = await self._pool.fetchrow(self._sql, team, model_entry_id, now)
        return None if row is None else BudgetBlock(**dict(row))

    async def refuse_if_blocked(
        self, team: str, model_entry_id: UUID | None, now: datetime
    ) -> None:
        """Raise CommandRejected(budget_exceeded) when a hard budget blocks the team or model."""
        block = await self.blocking(team, model_entry_id, now)
        if block is not None:
            raise CommandRejected(BUDGET_EXCEEDED, block.describe())
