"""The local stack: a real Apache Kafka broker and a real PostgreSQL, without Docker."""

from llmops_devstack.stack import (
    RunningStack,
    StackInfo,
    clear_state,
    load_state,
    save_state,
    start_stack,
    stop_recorded,
)

__all__ = [
    "RunningStack",
    "StackInfo",
    "clear_state",
    "load_state",
    "save_state",
    "start_stack",
    "stop_recorded",
]
