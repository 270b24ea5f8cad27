"""Rate cards and the pricing of usage: GPU hours, tokens and replica hours.

A rate card is versioned: a new version supersedes the previous one from its effective
instant on, and each priced amount records the version that priced it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_EVEN, Decimal

CENT = Decimal("0.000001")
"""Amounts are kept to a millionth of the currency unit; rounding is half-even."""


class NoRateCard(LookupError):
    """No rate card version was in effect at the instant priced."""


@dataclass(frozen=True)
class RateCard:
    """One version of the prices, effective from `effective_from` until superseded."""

    version: int
    currency: str
    effective_from: datetime
    gpu_hour_default: Decimal
    gpu_hour_by_type: Mapping[str, Decimal] = field(default_factory=dict)
    per_1k_input_tokens: Decimal = Decimal(0)
    per_1k_output_tokens: Decimal = Decimal(0)
    per_replica_hour: Decimal = Decimal(0)

    def gpu_hour_price(self, gpu_type: str | None) -> Decimal:
        """The price of one GPU hour of this type, or the default price."""
        if gpu_type is not None and gpu_type in self.gpu_hour_by_type:
            return self.gpu_hour_by_type[gpu_type]
        return self.gpu_hour_default


@dataclass(frozen=True)
class Priced:
    """An amount in a currency and the rate card version that priced it."""

    amount: Decimal
    currency: str
    rate_card_version: int


def money(value: Decimal) -> Decimal:
    """The amount rounded to the kept precision."""
    return value.quantize(CENT, rounding=ROUND_HALF_EVEN)


def card_at(cards: Sequence[RateCard], at: datetime) -> RateCard:
    """The version in effect at `at`: the highest version effective at or before it."""
    effective = [c for c in cards if c.effective_from <= at]
    if not effective:
        raise NoRateCard(f"no rate card in effect at {at.isoformat()}")
    return max(effective, key=lambda c: (c.effective_from, c.version))


def price_training(card: RateCard, gpu_hours: float, gpu_type: str | None) -> Priced:
    """GPU hours of a training job at the card's price for its GPU type."""
    amount = Decimal(str(gpu_hours)) * card.gpu_hour_price(gpu_type)
    return Priced(money(amount), card.currency, card.version)


def price_serving(card: RateCard, tokens_in: int, tokens_out: int, replica_hours: float) -> Priced:
    """Tokens per thousand (input and output) plus replica hours of an endpoint."""
    amount = (
        Decimal(tokens_in) / 1000 * card.per_1k_input_tokens
        + Decimal(tokens_out) / 1000 * card.per_1k_output_tokens
        + Decimal(str(replica_hours)) * card.per_replica_hour
    )
    return Priced(money(amount), card.currency, card.version)
