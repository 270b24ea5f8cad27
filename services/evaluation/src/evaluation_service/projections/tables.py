"""DDL of the evaluation read model (the event store belongs to the runtime)."""

from llmops_runtime.read_model_tables import ReadModelTables

TABLES = ReadModelTables({
    "evaluation_runs": """
CREATE TABLE IF NOT EXISTS {s}.evaluation_runs (
    run_id               uuid        PRIMARY KEY,
    model_version_id     uuid        NOT NULL,
    dataset_version_id   uuid        NOT NULL,
    snapshot_uri         text        NOT NULL,
    prompt_template_id   uuid,
    type                 text        NOT NULL,
    predictions_uri      text,
    status               text        NOT NULL,
    notes                text,
    run_by               text        NOT NULL,
    metrics              jsonb       NOT NULL DEFAULT '{{}}',
    snapshot_digest      text,
    predictions_digest   text,
    failure_reason       text,
    judge_model          text,
    judge_prompt_sha256  text,
    attempts             int         NOT NULL DEFAULT 0,
    started_at           timestamptz,
    completed_at         timestamptz,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS evaluation_runs_to_score ON {s}.evaluation_runs (created_at)
    WHERE type = 'automated' AND status IN ('queued', 'running');
""",
    "evaluation_items": """
CREATE TABLE IF NOT EXISTS {s}.evaluation_items (
    run_id      uuid        NOT NULL,
    item_id     text        NOT NULL,
    scorer      text        NOT NULL,
    scores      jsonb       NOT NULL,
    comment     text,
    recorded_at timestamptz NOT NULL,
    PRIMARY KEY (run_id, item_id, scorer)
);
""",
    "benchmark_datasets": """
CREATE TABLE IF NOT EXISTS {s}.benchmark_datasets (
    dataset_version_id  uuid        PRIMARY KEY,
    name                text        NOT NULL,
    version             text        NOT NULL,
    storage_uri         text        NOT NULL,
    approved_at         timestamptz
);
""",
})  # fmt: skip
OWN_TABLES = ("evaluation_runs", "evaluation_items")
DATASET_TABLES = ("benchmark_datasets",)
