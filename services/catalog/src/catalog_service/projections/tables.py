"""DDL of the catalog's read models (the event store and command tables belong to the runtime)."""

from llmops_runtime.read_model_tables import ReadModelTables

TABLES = ReadModelTables(
    {
        "model_versions": """
CREATE TABLE IF NOT EXISTS {s}.model_versions (
    model_version_id    uuid        PRIMARY KEY,
    name                text        NOT NULL,
    version             text        NOT NULL,
    type                text        NOT NULL,
    status              text        NOT NULL,
    owner_team          text        NOT NULL,
    metadata            jsonb       NOT NULL,
    storage_uri         text,
    lineage_dataset_ids jsonb       NOT NULL,
    registered_by       text        NOT NULL,
    last_transition     jsonb,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL
);
ALTER TABLE {s}.model_versions ADD COLUMN IF NOT EXISTS lineage_training_job_id uuid;
CREATE INDEX IF NOT EXISTS model_versions_name ON {s}.model_versions (name, type, status);
""",
        "model_aliases": """
CREATE TABLE IF NOT EXISTS {s}.model_aliases (
    model_alias_id   uuid        PRIMARY KEY,
    name             text        NOT NULL,
    alias            text        NOT NULL,
    model_version_id uuid,
    updated_by       text        NOT NULL,
    updated_at       timestamptz NOT NULL,
    UNIQUE (name, alias)
);
""",
        "known_dataset_versions": """
CREATE TABLE IF NOT EXISTS {s}.known_dataset_versions (
    dataset_version_id uuid        PRIMARY KEY,
    name               text        NOT NULL,
    version            text        NOT NULL,
    approved_at        timestamptz,
    seen_at            timestamptz NOT NULL DEFAULT now()
);
""",
        "succeeded_training_jobs": """
CREATE TABLE IF NOT EXISTS {s}.succeeded_training_jobs (
    training_job_id     uuid        PRIMARY KEY,
    model_entry_id      uuid        NOT NULL,
    output_artifact_uri text        NOT NULL,
    completed_at        timestamptz NOT NULL
);
""",
        "evaluation_runs": """
CREATE TABLE IF NOT EXISTS {s}.evaluation_runs (
    run_id           uuid        PRIMARY KEY,
    model_version_id uuid        NOT NULL,
    type             text        NOT NULL,
    status           text        NOT NULL,
    metrics          jsonb       NOT NULL,
    completed_at     timestamptz NOT NULL,
    run_by           text        NOT NULL
);
CREATE INDEX IF NOT EXISTS evaluation_runs_version ON {s}.evaluation_runs (model_version_id);
""",
        "policy_violations": """
CREATE TABLE IF NOT EXISTS {s}.policy_violations (
    violation_id     uuid        PRIMARY KEY,
    policy_id        uuid        NOT NULL,
    model_version_id uuid        NOT NULL,
    details          text        NOT NULL,
    recorded_by      text        NOT NULL,
    deprecated       boolean     NOT NULL,
    recorded_at      timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS policy_violations_version ON {s}.policy_violations (model_version_id);
""",
    }
)
