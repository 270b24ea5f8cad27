"""The cost service's handlers and the pricing of consumed usage."""

from cost_service.application.handlers import build_registry, utc_now

__all__ = ["build_registry", "utc_now"]
