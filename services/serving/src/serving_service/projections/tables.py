"""DDL of the serving read models (the event store and command tables belong to the runtime)."""

from llmops_runtime.read_model_tables import ReadModelTables

TABLES = ReadModelTables({
    "serving_endpoints": """
CREATE TABLE IF NOT EXISTS {s}.serving_endpoints (
    serving_endpoint_id uuid PRIMARY KEY, model_entry_id uuid NOT NULL, model_name text NOT NULL,
    model_version text NOT NULL, model_alias jsonb, environment text NOT NULL, route text NOT NULL,
    min_replicas integer NOT NULL, max_replicas integer NOT NULL, autoscale_policy jsonb NOT NULL,
    prompt_policy jsonb, prompt_policy_id uuid, rollback_plan jsonb, owner_team text NOT NULL,
    status text NOT NULL, last_health_check timestamptz, deployed_by text NOT NULL,
    deployed_at timestamptz NOT NULL, updated_at timestamptz NOT NULL
);""",
    # What served where, and when: one row per deployment or rollback of an endpoint.
    "endpoint_deployments": """
CREATE TABLE IF NOT EXISTS {s}.endpoint_deployments (
    serving_endpoint_id uuid NOT NULL, environment text NOT NULL, route text NOT NULL,
    model_entry_id uuid NOT NULL, model_version text NOT NULL, prompt_template_id uuid,
    valid_from timestamptz NOT NULL, valid_to timestamptz,
    PRIMARY KEY (serving_endpoint_id, valid_from)
);""",
    "observability_snapshots": """
CREATE TABLE IF NOT EXISTS {s}.observability_snapshots (
    observation_window_id uuid PRIMARY KEY, serving_endpoint_id uuid NOT NULL,
    time_bucket timestamptz NOT NULL, bucket_seconds integer NOT NULL, requests bigint NOT NULL,
    latency_p50 double precision NOT NULL, latency_p95 double precision NOT NULL,
    error_rate double precision NOT NULL, token_per_request double precision NOT NULL,
    notes text NOT NULL, closed boolean NOT NULL, updated_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS observability_snapshots_endpoint
    ON {s}.observability_snapshots (serving_endpoint_id, time_bucket);""",
    "catalog_models": """
CREATE TABLE IF NOT EXISTS {s}.catalog_models (
    model_entry_id uuid PRIMARY KEY, name text, version text, status text NOT NULL,
    updated_at timestamptz NOT NULL
);""",
    "catalog_aliases": """
CREATE TABLE IF NOT EXISTS {s}.catalog_aliases (
    name text NOT NULL, alias text NOT NULL, model_version_id uuid,
    updated_at timestamptz NOT NULL, PRIMARY KEY (name, alias)
);""",
    "prompt_labels": """
CREATE TABLE IF NOT EXISTS {s}.prompt_labels (
    name text NOT NULL, label text NOT NULL, prompt_label_id uuid NOT NULL,
    prompt_template_id uuid, updated_at timestamptz NOT NULL, PRIMARY KEY (name, label)
);""",
})  # fmt: skip
OWN_TABLES = ("serving_endpoints", "endpoint_deployments", "observability_snapshots")
CATALOG_TABLES = ("catalog_models", "catalog_aliases")
PROMPT_TABLES = ("prompt_labels",)
