"""DDL of the governance service's read model (the event store belongs to the runtime)."""

from __future__ import annotations

from llmops_runtime.read_model_tables import ReadModelTables

_TABLES: dict[str, str] = {
    "role_bindings": """
CREATE TABLE IF NOT EXISTS {s}.role_bindings (
    role_binding_id  uuid        PRIMARY KEY,
    subject_kind     text        NOT NULL,
    subject          text        NOT NULL,
    role             text        NOT NULL,
    actions          jsonb       NOT NULL,
    resource_type    text,
    owner_team       text,
    active           boolean     NOT NULL,
    granted_by       text        NOT NULL,
    reason           text        NOT NULL,
    revoked_by       text,
    granted_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS role_bindings_subject ON {s}.role_bindings (subject, role);
""",
    "policies": """
CREATE TABLE IF NOT EXISTS {s}.policies (
    policy_id         uuid        PRIMARY KEY,
    name              text        NOT NULL UNIQUE,
    scope             text        NOT NULL,
    rules             jsonb       NOT NULL,
    status            text        NOT NULL,
    drafted_by        text        NOT NULL,
    in_force_since    timestamptz,
    last_reviewed_at  timestamptz,
    review_overdue    boolean     NOT NULL,
    due_at            timestamptz,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS policies_due ON {s}.policies (status, review_overdue, due_at);
""",
    "policy_reviews": """
CREATE TABLE IF NOT EXISTS {s}.policy_reviews (
    position     bigint      PRIMARY KEY,
    policy_id    uuid        NOT NULL,
    reviewer     text        NOT NULL,
    decision     text        NOT NULL,
    notes        text        NOT NULL,
    reviewed_at  timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS policy_reviews_policy ON {s}.policy_reviews (policy_id, position);
""",
    "policy_violations": """
CREATE TABLE IF NOT EXISTS {s}.policy_violations (
    violation_id   uuid        PRIMARY KEY,
    policy_id      uuid        NOT NULL,
    resource_type  text        NOT NULL,
    resource_id    uuid        NOT NULL,
    details        text        NOT NULL,
    recorded_by    text        NOT NULL,
    recorded_at    timestamptz NOT NULL,
    position       bigint      NOT NULL
);
CREATE INDEX IF NOT EXISTS policy_violations_resource
    ON {s}.policy_violations (resource_id, position);
""",
}

TABLES = ReadModelTables(_TABLES)
