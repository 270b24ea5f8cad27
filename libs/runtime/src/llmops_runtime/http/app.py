"""The FastAPI app every service serves: health, readiness, metrics and its AsyncAPI document."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest

from llmops_runtime.http.read_gate import ReadGate

Readiness = Callable[[], Awaitable[dict[str, bool]]]


def create_service_app(
    service: str,
    *,
    readiness: Readiness,
    routers: Sequence[APIRouter] = (),
    asyncapi: dict[str, Any] | None = None,
    read_gate: ReadGate | None,
) -> FastAPI:
    """Build the app; nothing connects here (connections belong to the composition root).

    Every route of `routers` passes read_gate first (a token allowed to read); None leaves
    them open, which only route tests over a throwaway schema do.
    """
    app = FastAPI(title=f"llmops {service}", docs_url="/docs", redoc_url=None)

    @app.get("/healthz", tags=["operations"])
    async def healthz() -> dict[str, str]:
        """The process is alive."""
        return {"status": "ok", "service": service}

    @app.get("/readyz", tags=["operations"])
    async def readyz() -> JSONResponse:
        """Every dependency answers: 200, else 503 naming what does not."""
        checks = await readiness()
        status = 200 if all(checks.values()) else 503
        return JSONResponse({"ready": status == 200, "checks": checks}, status_code=status)

    @app.get("/metrics", tags=["operations"])
    async def metrics() -> Response:
        """Prometheus metrics of this process."""
        return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)

    @app.get("/asyncapi.json", tags=["operations"])
    async def asyncapi_json() -> dict[str, Any]:
        """The AsyncAPI 3.0 document of the commands accepted and events published."""
        return asyncapi or {}

    guarded = [Depends(read_gate)] if read_gate is not None else []
    for router in routers:
        app.include_router(router, dependencies=guarded)
    return app
