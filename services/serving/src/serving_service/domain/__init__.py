"""The serving service's pure domain."""

from serving_service.domain.observation_window import ObservationWindow
from serving_service.domain.serving_endpoint import ServingEndpoint

AGGREGATES = (ServingEndpoint, ObservationWindow)

__all__ = ["AGGREGATES", "ObservationWindow", "ServingEndpoint"]
