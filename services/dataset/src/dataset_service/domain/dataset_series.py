"""DatasetSeries: the versions of one dataset name, in registration order.

"The prior version" a new version must cite is read from this aggregate inside the command's
batch, not from a projection: two registrations of one name can never both pass as "first",
and concurrent ones conflict on the series stream.
"""

from __future__ import annotations

from typing import ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from llmops_events import dataset as contracts

NAMESPACE = uuid5(NAMESPACE_URL, "urn:llmops:dataset:dataset_series")


class DatasetSeries(Aggregate):
    """The registered versions of one dataset name; the latest is the one to cite next."""

    class Started(Aggregate.Created):
        wire_name: ClassVar[str] = contracts.DatasetSeriesStarted.WIRE_NAME
        class_version: ClassVar[int] = contracts.DatasetSeriesStarted.SCHEMA_VERSION
        dataset_series_id: str
        name: str
        first_version: str

    class VersionAdded(Aggregate.Event):
        wire_name: ClassVar[str] = contracts.DatasetSeriesVersionAdded.WIRE_NAME
        class_version: ClassVar[int] = contracts.DatasetSeriesVersionAdded.SCHEMA_VERSION
        dataset_series_id: str
        version: str
        previous_version: str

        def apply(self, aggregate: DatasetSeries) -> None:
            aggregate.versions.append(self.version)

    def __init__(self, dataset_series_id: str, name: str, first_version: str) -> None:
        self.name = name
        self.versions = [first_version]

    @classmethod
    def id_for(cls, name: str) -> UUID:
        """The deterministic id of a dataset name's series."""
        return uuid5(NAMESPACE, name)

    @classmethod
    def start(cls, name: str, first_version: str) -> DatasetSeries:
        """Begin the series with the name's first version."""
        series_id = cls.id_for(name)
        return cls._create(
            cls.Started,
            id=series_id,
            dataset_series_id=str(series_id),
            name=name,
            first_version=first_version,
        )

    @property
    def latest_version(self) -> str:
        """The version a new one must cite as its prior version."""
        return self.versions[-1]

    def add(self, version: str) -> None:
        """Record a later version (its registration already checked it cites the latest)."""
        self.trigger_event(
            self.VersionAdded,
            dataset_series_id=str(self.id),
            version=version,
            previous_version=self.latest_version,
        )
