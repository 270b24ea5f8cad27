"""DDL of the prompt service's read models (the event store belongs to the runtime)."""

from llmops_runtime.read_model_tables import ReadModelTables

TABLES = ReadModelTables(
    {
        "prompt_templates": """
CREATE TABLE IF NOT EXISTS {s}.prompt_templates (
    prompt_template_id uuid        PRIMARY KEY,
    name               text        NOT NULL,
    version            text        NOT NULL,
    language           text        NOT NULL,
    content            text        NOT NULL,
    context_tags       jsonb       NOT NULL,
    status             text        NOT NULL,
    registered_by      text        NOT NULL,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS prompt_templates_name ON {s}.prompt_templates (name, status);
""",
        "prompt_labels": """
CREATE TABLE IF NOT EXISTS {s}.prompt_labels (
    prompt_label_id    uuid        PRIMARY KEY,
    name               text        NOT NULL,
    label              text        NOT NULL,
    prompt_template_id uuid,
    updated_by         text        NOT NULL,
    updated_at         timestamptz NOT NULL,
    UNIQUE (name, label)
);
""",
        "prompt_experiments": """
CREATE TABLE IF NOT EXISTS {s}.prompt_experiments (
    prompt_experiment_id    uuid        PRIMARY KEY,
    name                    text        NOT NULL,
    template_a_id           uuid        NOT NULL,
    template_b_id           uuid        NOT NULL,
    allocation              jsonb       NOT NULL,
    metric                  text        NOT NULL,
    start_at                timestamptz NOT NULL,
    end_at                  timestamptz,
    min_traffic_per_variant integer,
    statistical_test        text        NOT NULL,
    alpha                   double precision NOT NULL,
    status                  text        NOT NULL,
    observation_counts      jsonb       NOT NULL,
    outcome                 text,
    winner_template_id      uuid,
    conclusion              jsonb,
    started_by              text        NOT NULL,
    updated_at              timestamptz NOT NULL
);
""",
        "governance_prohibited_tokens": """
CREATE TABLE IF NOT EXISTS {s}.governance_prohibited_tokens (
    policy_id    uuid        PRIMARY KEY,
    policy_name  text        NOT NULL,
    tokens       jsonb       NOT NULL,
    published_by text        NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now()
);
""",
    }
)
