"""Write the committed JSON Schema snapshots: `python -m llmops_events.snapshot [--force]`."""

import json
import sys
from pathlib import Path
from typing import Any

from llmops_events.base import CommandContract, EventContract
from llmops_events.compatibility import breaking_changes
from llmops_events.envelope import ENVELOPES, EnvelopeContract
from llmops_events.registry import all_contracts

Snapshotted = type[EventContract | CommandContract | EnvelopeContract]

# libs/events/schemas, beside src/ in the workspace checkout.
SCHEMAS_DIR = Path(__file__).resolve().parents[2] / "schemas"


def snapshot_path(contract: Snapshotted, directory: Path) -> Path:
    """Where the snapshot of `contract` at its current schema version lives."""
    return directory / f"{contract.WIRE_NAME}.v{contract.SCHEMA_VERSION}.json"


def current_schema(contract: Snapshotted) -> dict[str, Any]:
    """The JSON Schema of `contract` as validated on input, tagged with its wire identity."""
    schema = contract.model_json_schema(mode="validation")
    schema["x-wire-name"] = contract.WIRE_NAME
    schema["x-schema-version"] = contract.SCHEMA_VERSION
    schema["x-kind"] = (
        "event"
        if issubclass(contract, EventContract)
        else "command"
        if issubclass(contract, CommandContract)
        else "envelope"
    )
    return schema


def render(schema: dict[str, Any]) -> str:
    """Serialize a schema the same way every time, so diffs stay small."""
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def write_snapshots(directory: Path = SCHEMAS_DIR, *, force: bool = False) -> list[str]:
    """Write every contract's snapshot; refuse a breaking overwrite unless forced."""
    directory.mkdir(parents=True, exist_ok=True)
    refused: list[str] = []
    for contract in (*all_contracts(), *ENVELOPES):
        path = snapshot_path(contract, directory)
        schema = current_schema(contract)
        if path.exists() and not force:
            problems = breaking_changes(json.loads(path.read_text()), schema)
            if problems:
                refused.extend(f"{path.name}: {problem}" for problem in problems)
                continue
        path.write_text(render(schema))
    return refused


def main() -> int:
    """Entry point; exits non-zero when a breaking change needs a new SCHEMA_VERSION."""
    refused = write_snapshots(force="--force" in sys.argv[1:])
    for line in refused:
        print(f"breaking change, bump SCHEMA_VERSION instead: {line}", file=sys.stderr)
    return 1 if refused else 0


if __name__ == "__main__":
    raise SystemExit(main())
