"""Composition root of the prompt service: `python -m prompt_service.main`."""

from llmops_runtime.service import run_service
from prompt_service.definition import SERVICE

if __name__ == "__main__":
    run_service(SERVICE)
