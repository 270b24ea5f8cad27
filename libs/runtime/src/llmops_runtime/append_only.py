"""Triggers that make a table append-only: UPDATE, DELETE and TRUNCATE raise, whoever runs them.

The DDL keeps the `{s}` placeholder of the schema, like the DDL it is appended to.
"""

from __future__ import annotations


def append_only_ddl(table: str, message: str, args: str = "TG_OP") -> str:
    """Idempotent DDL: `{table}_refuse_change()` and the row and statement triggers using it.

    message is the exception text (a % for each of args), raised as insufficient_privilege.
    """
    return f"""
CREATE OR REPLACE FUNCTION {{s}}.{table}_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{message}', {args}
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

DROP TRIGGER IF EXISTS {table}_append_only ON {{s}}.{table};
CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {{s}}.{table}
    FOR EACH ROW EXECUTE FUNCTION {{s}}.{table}_refuse_change();

DROP TRIGGER IF EXISTS {table}_no_truncate ON {{s}}.{table};
CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {{s}}.{table}
    FOR EACH STATEMENT EXECUTE FUNCTION {{s}}.{table}_refuse_change();
"""
