"""Background tasks a service runs beside its components (e.g. a scheduler)."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class BackgroundTask:
    """A named coroutine the host runs until stop; a crash is logged and restarted with backoff.

    `run` should loop forever: one that returns ends the task, and readiness reports it done.
    """

    name: str
    run: Callable[[], Coroutine[Any, Any, None]]
