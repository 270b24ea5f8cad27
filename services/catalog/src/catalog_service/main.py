"""Composition root of the catalog service: `python -m catalog_service.main`."""

from catalog_service.definition import SERVICE
from llmops_runtime.service import run_service

if __name__ == "__main__":
    run_service(SERVICE)
