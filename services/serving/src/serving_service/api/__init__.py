"""HTTP reads of the serving service."""

from serving_service.api.endpoints import endpoints_router

__all__ = ["endpoints_router"]
