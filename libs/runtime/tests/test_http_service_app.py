"""The HTTP edge every service shares: health, readiness, metrics, AsyncAPI."""

from __future__ import annotations

from typing import ClassVar

import httpx
from pydantic import BaseModel

from llmops_runtime.http import asyncapi_document, create_service_app


class RegisterWidget(BaseModel):
    """Register a widget."""

    WIRE_NAME: ClassVar[str] = "demo.register_widget"
    name: str


class WidgetRegistered(BaseModel):
    """A widget was registered."""

    WIRE_NAME: ClassVar[str] = "demo.widget.registered"
    widget_id: str
    name: str


class GadgetShipped(BaseModel):
    """Another service shipped a gadget."""

    WIRE_NAME: ClassVar[str] = "gadgets.gadget.shipped"
    gadget_id: str


def client_for(checks: dict[str, bool]) -> httpx.AsyncClient:
    async def readiness() -> dict[str, bool]:
        return checks

    document = asyncapi_document(
        "demo", "1.0.0", [RegisterWidget], [WidgetRegistered], consumed=[GadgetShipped]
    )
    app = create_service_app("demo", readiness=readiness, asyncapi=document, read_gate=None)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://demo")


async def test_health_answers_while_the_process_lives() -> None:
    async with client_for({"database": False}) as client:
        response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "service": "demo"}


async def test_readiness_is_503_and_names_the_dependency_that_does_not_answer() -> None:
    async with client_for({"database": True, "kafka": False}) as client:
        response = await client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"ready": False, "checks": {"database": True, "kafka": False}}


async def test_readiness_is_200_when_every_dependency_answers() -> None:
    async with client_for({"database": True, "kafka": True}) as client:
        response = await client.get("/readyz")
    assert response.status_code == 200


async def test_metrics_are_in_the_prometheus_text_format() -> None:
    async with client_for({}) as client:
        response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert "python_info" in response.text


async def test_the_asyncapi_document_lists_commands_and_events_with_their_schemas() -> None:
    async with client_for({}) as client:
        document = (await client.get("/asyncapi.json")).json()
    assert document["asyncapi"] == "3.0.0"
    addresses = {channel["address"] for channel in document["channels"].values()}
    assert addresses == {"llmops.demo.commands", "llmops.demo.events", "llmops.gadgets.events"}
    schemas = document["components"]["schemas"]
    assert "name" in schemas["RegisterWidget"]["properties"]
    assert "widget_id" in schemas["WidgetRegistered"]["properties"]
