"""Decide whether a contract's new JSON Schema would break a consumer of its snapshot."""

from collections.abc import Mapping
from typing import Any

# Keys that document a schema without changing which documents it accepts.
_ANNOTATIONS = frozenset({"title", "description", "default", "examples", "deprecated"})

Schema = Mapping[str, Any]


def _without_annotations(node: Any) -> Any:
    if isinstance(node, Mapping):
        return {k: _without_annotations(v) for k, v in node.items() if k not in _ANNOTATIONS}
    if isinstance(node, list):
        return [_without_annotations(item) for item in node]
    return node


def _object_changes(where: str, old: Schema, new: Schema) -> list[str]:
    changes: list[str] = []
    old_props: Mapping[str, Any] = old.get("properties", {})
    new_props: Mapping[str, Any] = new.get("properties", {})
    for name, old_prop in old_props.items():
        if name not in new_props:
            changes.append(f"{where}.{name}: field removed")
        elif _without_annotations(old_prop) != _without_annotations(new_props[name]):
            changes.append(f"{where}.{name}: field retyped")
    for name in sorted(set(new.get("required", [])) - set(old.get("required", []))):
        changes.append(f"{where}.{name}: field became required")
    return changes


def breaking_changes(old: Schema, new: Schema) -> list[str]:
    """List the changes from `old` to `new` that would break a consumer; empty if none."""
    changes = _object_changes("$", old, new)
    old_defs: Mapping[str, Schema] = old.get("$defs", {})
    new_defs: Mapping[str, Schema] = new.get("$defs", {})
    for name, old_def in old_defs.items():
        if name not in new_defs:
            changes.append(f"$defs.{name}: definition removed")
        elif "properties" in old_def:
            changes.extend(_object_changes(f"$defs.{name}", old_def, new_defs[name]))
        elif _without_annotations(old_def) != _without_annotations(new_defs[name]):
            changes.append(f"$defs.{name}: definition retyped")
    return changes
