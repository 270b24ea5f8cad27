"""DDL of the cost read models (the event store and command tables belong to the runtime)."""

from llmops_runtime.read_model_tables import ReadModelTables

TABLES = ReadModelTables({
    "cost_profiles": """
CREATE TABLE IF NOT EXISTS {s}.cost_profiles (
    profile_id         uuid        PRIMARY KEY,
    resource_type      text        NOT NULL,
    resource_id        uuid        NOT NULL,
    team               text        NOT NULL,
    model_entry_id     uuid,
    window_kind        text        NOT NULL,
    window_start       timestamptz NOT NULL,
    window_end         timestamptz NOT NULL,
    gpu_hours          double precision NOT NULL DEFAULT 0,
    token_count        bigint      NOT NULL DEFAULT 0,
    replica_hours      double precision NOT NULL DEFAULT 0,
    cost_currency      text        NOT NULL,
    cost_amount        numeric     NOT NULL DEFAULT 0,
    adjustment_amount  numeric     NOT NULL DEFAULT 0,
    billed_amount      numeric,
    budget_variance    numeric,
    within_tolerance   boolean,
    rate_card_versions integer[]   NOT NULL DEFAULT '{{}}',
    status             text        NOT NULL,
    adjustment_reason  text,
    updated_at         timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS cost_profiles_team
    ON {s}.cost_profiles (team, window_kind, window_start);
CREATE INDEX IF NOT EXISTS cost_profiles_resource ON {s}.cost_profiles (resource_id, window_kind);
""",
    "budgets": """
CREATE TABLE IF NOT EXISTS {s}.budgets (
    budget_id      uuid        PRIMARY KEY,
    scope          text        NOT NULL,
    team           text,
    model_entry_id uuid,
    currency       text        NOT NULL,
    soft_limit     numeric     NOT NULL,
    hard_limit     numeric     NOT NULL,
    period_start   timestamptz NOT NULL,
    period_end     timestamptz NOT NULL,
    spent          numeric     NOT NULL,
    state          text        NOT NULL,
    updated_at     timestamptz NOT NULL
);
""",
    "rate_cards": """
CREATE TABLE IF NOT EXISTS {s}.rate_cards (
    version              integer     PRIMARY KEY,
    currency             text        NOT NULL,
    effective_from       timestamptz NOT NULL,
    gpu_hour_default     numeric     NOT NULL,
    gpu_hour_by_type     jsonb       NOT NULL,
    per_1k_input_tokens  numeric     NOT NULL,
    per_1k_output_tokens numeric     NOT NULL,
    per_replica_hour     numeric     NOT NULL,
    published_by         text        NOT NULL,
    published_at         timestamptz NOT NULL
);
""",
    "billing_feeds": """
CREATE TABLE IF NOT EXISTS {s}.billing_feeds (
    billing_feed_id uuid        PRIMARY KEY,
    name            text        NOT NULL,
    lines           integer     NOT NULL,
    profiles        integer     NOT NULL,
    imported_by     text        NOT NULL,
    imported_at     timestamptz NOT NULL
);
""",
    "training_jobs_seen": """
CREATE TABLE IF NOT EXISTS {s}.training_jobs_seen (
    training_job_id uuid PRIMARY KEY,
    model_entry_id  uuid NOT NULL,
    owner_team      text NOT NULL,
    gpu_type        text NOT NULL
);
""",
})  # fmt: skip
OWN_TABLES = ("cost_profiles", "budgets", "rate_cards", "billing_feeds")
