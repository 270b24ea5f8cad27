"""The training service's command handlers and what the scheduler shares with them."""

from training_service.application.jobs import TrainingReadModel, build_registry, report_attempt

__all__ = ["TrainingReadModel", "build_registry", "report_attempt"]
