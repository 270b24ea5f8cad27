"""Where the local stack keeps its jars, data and state."""

from __future__ import annotations

import os
from pathlib import Path


def llmops_home() -> Path:
    """The folder for caches, data and the state file (`LLMOPS_HOME`, else `./.llmops`)."""
    configured = os.environ.get("LLMOPS_HOME")
    home = Path(configured) if configured else Path.cwd() / ".llmops"
    home.mkdir(parents=True, exist_ok=True)
    return home.resolve()


def cache_dir() -> Path:
    """Downloaded artefacts (Kafka jars); kept between runs and between temporary stacks."""
    path = llmops_home() / "cache"
    path.mkdir(parents=True, exist_ok=True)
    return path


def state_file() -> Path:
    """The file that tells later commands which stack is running."""
    return llmops_home() / "stack.json"
