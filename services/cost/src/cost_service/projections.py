"""The cost read model: the items table, its reads, and the projection of own events."""

from llmops_events import cost as contracts
from llmops_runtime.http.pagination import Keyset
from llmops_runtime.projections.projector import Projector
from llmops_runtime.projections.rows import Rows
from llmops_runtime.read_model_tables import ReadModelTables
from llmops_runtime.read_model_views import TableReads
from llmops_runtime.relay.envelope import EventEnvelope

TABLES = ReadModelTables({"items": """CREATE TABLE IF NOT EXISTS {s}.items (
    item_id uuid PRIMARY KEY, name text NOT NULL, registered_by text NOT NULL,
    created_at timestamptz NOT NULL)"""})  # fmt: skip
ITEMS = TableReads("items", Keyset.of(("name", "text"), ("item_id", "uuid")), key=("item_id",))
projector = Projector()


@projector.on(contracts.CostItemRegistered)
async def registered(rows: Rows, e: contracts.CostItemRegistered, env: EventEnvelope) -> None:
    """A new row."""
    row = e.model_dump(include={"item_id", "name", "registered_by"})
    await rows.insert("items", row | {"created_at": env.committed_at}, on_conflict=("item_id",))
