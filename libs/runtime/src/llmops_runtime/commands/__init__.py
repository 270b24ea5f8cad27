"""The command bus: a service's consumer of `llmops.<svc>.commands` and its handler registry."""

from llmops_runtime.commands.consumer import CommandConsumer
from llmops_runtime.commands.errors import CommandRejected
from llmops_runtime.commands.handlers import CommandRegistry, HandlerContext, NotFound, handles
from llmops_runtime.commands.settings import CommandBusSettings
from llmops_runtime.commands.topics import commands_topic, dead_letter_topic, events_topic

__all__ = [
    "CommandBusSettings",
    "CommandConsumer",
    "CommandRegistry",
    "CommandRejected",
    "HandlerContext",
    "NotFound",
    "commands_topic",
    "dead_letter_topic",
    "events_topic",
    "handles",
]
