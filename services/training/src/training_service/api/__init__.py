"""HTTP reads of the training service."""

from training_service.api.training_jobs import training_jobs_router

__all__ = ["training_jobs_router"]
