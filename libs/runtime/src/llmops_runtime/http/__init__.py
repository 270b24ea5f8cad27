"""HTTP edge shared by every service: health, readiness, metrics, AsyncAPI, read routers."""

from llmops_runtime.http.app import create_service_app
from llmops_runtime.http.asyncapi import asyncapi_document

__all__ = ["asyncapi_document", "create_service_app"]
