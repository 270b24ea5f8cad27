"""DDL of the training read models (the event store and command tables belong to the runtime)."""

from llmops_runtime.read_model_tables import ReadModelTables

TABLES = ReadModelTables({
    "training_jobs": """
CREATE TABLE IF NOT EXISTS {s}.training_jobs (
    training_job_id     uuid        PRIMARY KEY,
    model_entry_id      uuid        NOT NULL,
    dataset_ids         jsonb       NOT NULL,
    job_type            text        NOT NULL,
    hyperparameters     jsonb       NOT NULL,
    resource_profile    jsonb       NOT NULL,
    command             jsonb       NOT NULL,
    scheduler_id        text        NOT NULL,
    owner_team          text        NOT NULL,
    status              text        NOT NULL,
    attempt             integer     NOT NULL,
    retries             integer     NOT NULL,
    runner              text,
    last_failure        text,
    output_artifact_uri text,
    gpu_hours           double precision,
    submitted_by        text        NOT NULL,
    submitted_at        timestamptz NOT NULL,
    started_at          timestamptz,
    completed_at        timestamptz,
    updated_at          timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS training_jobs_status ON {s}.training_jobs (scheduler_id, status);
""",
    # One row per ExperimentMetric point; the key orders a job's series by name, step, attempt.
    "training_metrics": """
CREATE TABLE IF NOT EXISTS {s}.training_metrics (
    training_job_id uuid             NOT NULL,
    name            text             NOT NULL,
    step            bigint           NOT NULL,
    attempt         integer          NOT NULL,
    metric_batch_id uuid             NOT NULL,
    seq             integer          NOT NULL,
    value           double precision NOT NULL,
    unit            text,
    recorded_at     timestamptz      NOT NULL,
    PRIMARY KEY (training_job_id, name, step, attempt, metric_batch_id, seq)
);
""",
    "catalog_models": """
CREATE TABLE IF NOT EXISTS {s}.catalog_models (
    model_entry_id uuid        PRIMARY KEY,
    name           text,
    version        text,
    status         text        NOT NULL,
    updated_at     timestamptz NOT NULL
);
""",
    "approved_datasets": """
CREATE TABLE IF NOT EXISTS {s}.approved_datasets (
    dataset_version_id uuid        PRIMARY KEY,
    name               text        NOT NULL,
    version            text        NOT NULL,
    approved_at        timestamptz NOT NULL
);
""",
    "retry_overrides": """
CREATE TABLE IF NOT EXISTS {s}.retry_overrides (
    training_job_id uuid        PRIMARY KEY,
    override_id     uuid        NOT NULL,
    max_retries     integer     NOT NULL,
    approved_by     text        NOT NULL,
    approved_at     timestamptz NOT NULL
);
""",
})  # fmt: skip
OWN_TABLES = ("training_jobs",)
METRIC_TABLES = ("training_metrics",)
