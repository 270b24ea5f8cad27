"""The prompt service as the host runs it: events, handlers, projections, read API."""

from llmops_events import governance as governance_contracts
from llmops_events import prompt as contracts
from llmops_events import prompt_commands as commands
from llmops_runtime.auth import Permission
from prompt_service.bootstrap import WIRING
from prompt_service.domain import AGGREGATES
from prompt_service.projections import projections

# What each command needs: going live and concluding are sign-offs, labels are deployments.
PERMISSIONS = {
    commands.RegisterPromptTemplate: Permission("register", "prompt_template"),
    commands.RevisePromptTemplate: Permission("amend", "prompt_template"),
    commands.MakePromptTemplateLive: Permission("approve", "prompt_template"),
    commands.RetirePromptTemplate: Permission("deprecate", "prompt_template"),
    commands.SetPromptLabel: Permission("deploy", "prompt_label"),
    commands.RemovePromptLabel: Permission("deploy", "prompt_label"),
    commands.StartPromptExperiment: Permission("run", "prompt_experiment"),
    commands.RecordExperimentObservations: Permission("run", "prompt_experiment"),
    commands.ConcludePromptExperiment: Permission("review", "prompt_experiment"),
}

SERVICE = WIRING.definition(
    "prompt", http_port=8103, contracts=contracts, event_classes=AGGREGATES,
    projections=projections(), command_contracts=commands.COMMANDS, permissions=PERMISSIONS,
    consumed_event_contracts=(governance_contracts.ProhibitedTokensPublished,),
    deploy_settings=("LLMOPS_PROMPT_PROHIBITED_TOKENS",),
)  # fmt: skip
