"""The cost service's own domain errors (generic ones come from llmops_domain.errors)."""

from llmops_domain.errors import DomainError


class ProfileFinalized(DomainError):
    """A finalized profile never changes."""

    code = "profile_finalized"


class NotReconciled(DomainError):
    """No billing feed reconciled the profile yet (or usage arrived since)."""

    code = "not_reconciled"


class VarianceOutsideTolerance(DomainError):
    """The billed amount differs from the priced one beyond the tolerance, unexplained."""

    code = "variance_outside_tolerance"


class InvalidBillingFeed(DomainError):
    """The feed is malformed or a line matches no profile; nothing of it was imported."""

    code = "invalid_billing_feed"


class CurrencyMismatch(DomainError):
    """An amount in another currency than the rate card's or the budget's."""

    code = "currency_mismatch"
