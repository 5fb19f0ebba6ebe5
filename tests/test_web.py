"""The web app's health page, in process through ASGI."""

from __future__ import annotations

from dataclasses import replace

import httpx

from app.settings import Settings
from app.web.main import create_app
from tests.conftest import Harness


def app_for(address: str) -> httpx.AsyncClient:
    settings = replace(Settings(), temporal_address=address)
    transport = httpx.ASGITransport(app=create_app(settings))
    return httpx.AsyncClient(transport=transport, base_url="http://replikasi.test")


async def test_health_ok_when_temporal_answers(harness: Harness) -> None:
    """/health answers 200 and names the Temporal address it checked."""
    address = harness.client.service_client.config.target_host
    async with app_for(address) as web:
        response = await web.get("/health")

    assert 200 == response.status_code
    assert {"status": "ok", "temporal": address} == response.json()


async def test_health_503_when_temporal_is_down() -> None:
    """/health answers 503 with the reason when Temporal cannot be reached."""
    async with app_for("127.0.0.1:1") as web:
        response = await web.get("/health")

    assert 503 == response.status_code
    assert "error" == response.json()["status"]
