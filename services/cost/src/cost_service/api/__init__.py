"""HTTP reads of the cost service."""

from cost_service.api.routes import cost_routers

__all__ = ["cost_routers"]
