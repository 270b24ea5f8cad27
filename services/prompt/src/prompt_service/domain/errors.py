"""The prompt service's own domain errors, each with the stable code its rejection carries."""

from collections.abc import Sequence

from llmops_domain.errors import DomainError


class ProhibitedTokens(DomainError):
    """The content contains prohibited tokens; `tokens` names each offending one."""

    code = "prohibited_tokens"

    def __init__(self, tokens: Sequence[str]) -> None:
        self.tokens = list(tokens)
        listed = ", ".join(repr(t) for t in self.tokens)
        super().__init__(
            f"the content contains prohibited tokens: {listed}",
            field_errors={"content": f"contains prohibited tokens: {listed}"},
            details={"tokens": self.tokens},
        )


class TargetNotLive(DomainError):
    """A label or an experiment may only use live template versions."""

    code = "template_not_live"


class StopConditionNotMet(DomainError):
    """An experiment concludes only once one of its stop conditions holds."""

    code = "stop_condition_not_met"
