"""Composition root of the dataset service: `python -m dataset_service.main`."""

from dataset_service.definition import SERVICE
from llmops_runtime.service import run_service

if __name__ == "__main__":
    run_service(SERVICE)
