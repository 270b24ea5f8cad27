"""The cost service's pure domain."""

from cost_service.domain.billing_feed import BillingFeed
from cost_service.domain.budget import Budget
from cost_service.domain.cost_profile import CostProfile
from cost_service.domain.rate_card import RateCardVersion

AGGREGATES = (RateCardVersion, Budget, CostProfile, BillingFeed)

__all__ = ["AGGREGATES", "BillingFeed", "Budget", "CostProfile", "RateCardVersion"]
