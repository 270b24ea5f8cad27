"""The prompt service as the host runs it: events, handlers, projections, read API."""

from llmops_events import governance as governance_contracts
from llmops_events import prompt as contracts
from llmops_events import prompt_commands as command_contracts
from prompt_service.bootstrap import WIRING
from prompt_service.domain import AGGREGATES
from prompt_service.projections import projections

SERVICE = WIRING.definition(
    "prompt", http_port=8103, contracts=contracts, event_classes=AGGREGATES,
    projections=projections(), command_contracts=command_contracts.COMMANDS,
    consumed_event_contracts=governance_contracts.EVENTS,
    deploy_settings=("LLMOPS_PROMPT_PROHIBITED_TOKENS",),
)  # fmt: skip
