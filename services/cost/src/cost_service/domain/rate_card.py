"""RateCardVersion: one version of the prices; a new version supersedes the previous one.

Each version is its own stream, its id derived from its number, so the versions are found by
counting up from 1 and two publications of the same next version cannot both succeed.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from cost_service.domain.pricing import RateCard
from llmops_domain.errors import ValidationFailed
from llmops_events import cost as contracts

NAMESPACE = uuid5(NAMESPACE_URL, "urn:llmops:cost:rate_card")


class RateCardVersion(Aggregate):
    """The prices of one version, effective from an instant until a later version's."""

    class Published(Aggregate.Created):
        wire_name: ClassVar[str] = contracts.RateCardPublished.WIRE_NAME
        class_version: ClassVar[int] = contracts.RateCardPublished.SCHEMA_VERSION
        rate_card_id: str
        version: int
        currency: str
        effective_from: str
        gpu_hour_default: str
        gpu_hour_by_type: dict[str, str]
        per_1k_input_tokens: str
        per_1k_output_tokens: str
        per_replica_hour: str
        published_by: str

    def __init__(
        self, rate_card_id: str, version: int, currency: str, effective_from: str,
        gpu_hour_default: str, gpu_hour_by_type: dict[str, str], per_1k_input_tokens: str,
        per_1k_output_tokens: str, per_replica_hour: str, published_by: str,
    ) -> None:  # fmt: skip
        self.prices = RateCard(
            version, currency, datetime.fromisoformat(effective_from),
            Decimal(gpu_hour_default), {k: Decimal(v) for k, v in gpu_hour_by_type.items()},
            Decimal(per_1k_input_tokens), Decimal(per_1k_output_tokens),
            Decimal(per_replica_hour),
        )  # fmt: skip
        self.published_by = published_by

    @staticmethod
    def id_for(version: int) -> UUID:
        """The stream id of a version."""
        return uuid5(NAMESPACE, f"version:{version}")

    @classmethod
    def publish(
        cls, p: contracts.PublishRateCard, latest: RateCard | None, actor: str, now: datetime
    ) -> RateCardVersion:
        """The version after `latest`; it may not take effect before it, nor change currency."""
        effective = p.effective_from or now
        if latest is not None and effective < latest.effective_from:
            raise ValidationFailed({
                "effective_from": f"before version {latest.version}'s {latest.effective_from}"
            })  # fmt: skip
        if latest is not None and p.currency != latest.currency:
            raise ValidationFailed({"currency": f"the rate card is in {latest.currency}"})
        version = 1 if latest is None else latest.version + 1
        return cls._create(
            cls.Published, id=cls.id_for(version), rate_card_id=str(cls.id_for(version)),
            version=version, currency=p.currency, effective_from=effective.isoformat(),
            gpu_hour_default=str(p.gpu_hour_default),
            gpu_hour_by_type={k: str(v) for k, v in p.gpu_hour_by_type.items()},
            per_1k_input_tokens=str(p.per_1k_input_tokens),
            per_1k_output_tokens=str(p.per_1k_output_tokens),
            per_replica_hour=str(p.per_replica_hour), published_by=actor,
        )  # fmt: skip
