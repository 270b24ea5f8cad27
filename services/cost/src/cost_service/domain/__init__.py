"""The cost service's pure domain."""

from cost_service.domain.item import Item

AGGREGATES = (Item,)

__all__ = ["AGGREGATES", "Item"]
