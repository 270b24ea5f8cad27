"""Inline the shared definitions of kubernetes-validate schemas (kubeconform needs standalone)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

PREFIXES = ("_definitions.json#/$defs/", "#/$defs/")


def inline(node: Any, defs: dict[str, Any], seen: tuple[str, ...]) -> Any:
    """node with every definition reference replaced by the definition (a cycle by {})."""
    if isinstance(node, list):
        return [inline(item, defs, seen) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    prefix = next((p for p in PREFIXES if isinstance(ref, str) and ref.startswith(p)), None)
    if prefix is not None:
        name = str(ref).removeprefix(prefix)
        return {} if name in seen else inline(defs[name], defs, (*seen, name))
    return {key: inline(value, defs, seen) for key, value in node.items()}


def main(folder: Path, kinds: list[str]) -> None:
    defs = json.loads((folder / "_definitions.json").read_text())["$defs"]
    for kind in kinds:
        path = folder / f"{kind}.json"
        schema = inline(json.loads(path.read_text()), defs, ())
        (folder / "standalone").mkdir(exist_ok=True)
        (folder / "standalone" / path.name).write_text(json.dumps(schema))


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2:])
