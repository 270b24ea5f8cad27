"""DDL of the dataset service's read model (the event store belongs to the runtime)."""

from llmops_runtime.read_model_tables import ReadModelTables

TABLES = ReadModelTables(
    {
        "dataset_versions": """
CREATE TABLE IF NOT EXISTS {s}.dataset_versions (
    dataset_version_id  uuid        PRIMARY KEY,
    name                text        NOT NULL,
    version             text        NOT NULL,
    storage_uri         text        NOT NULL,
    owner_team          text        NOT NULL,
    change_log          text        NOT NULL,
    previous_version    text,
    diff_summary        text,
    pii_scan_status     text        NOT NULL,
    quality_score       double precision,
    registered_by       text        NOT NULL,
    approved_by         text,
    approved_at         timestamptz,
    registered_seq      bigint      NOT NULL,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS dataset_versions_name ON {s}.dataset_versions (name, registered_seq);
""",
    }
)
