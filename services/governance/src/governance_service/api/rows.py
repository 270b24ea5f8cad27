"""Governance read-model rows as JSON: the kit's row_json with this service's jsonb columns."""

from __future__ import annotations

import functools

from llmops_runtime.http.rows import row_json

as_json = functools.partial(row_json, json_columns=("actions", "rules"))
