"""One way to refuse: an Indonesian page for people, JSON for the API (paths under /api/).

Routes raise `WebError` or let an `app.service` error through; the status says what kind
of refusal it is (403 not yours, 409 the workflow refused, 404 unknown, 503 Temporal away).
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response

from app import service
from app.web.pages import render


class WebError(Exception):
    def __init__(self, status: int, title: str, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status, self.title, self.message = status, title, message
        self.headers = headers or {}


SERVICE_STATUS: list[tuple[type[service.ServiceError], int, str]] = [
    (service.NotAllowed, 403, "Bukan wewenang Anda"),
    (service.EventRejected, 409, "Ditolak"),
    (service.NotFound, 404, "Tidak ditemukan"),
    (service.InvalidInput, 422, "Data tidak sah"),
    (service.Unavailable, 503, "Layanan tidak tersedia"),
    (service.ServiceError, 502, "Galat layanan"),
]


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def respond(request: Request, error: WebError) -> Response:
    if is_api(request):
        return JSONResponse(
            {"detail": error.message}, status_code=error.status, headers=error.headers
        )
    response = render(
        request, "pesan.html", {"title": error.title, "message": error.message}, error.status
    )
    response.headers.update(error.headers)
    return response


def from_service(error: service.ServiceError) -> WebError:
    for kind, status, title in SERVICE_STATUS:
        if isinstance(error, kind):
            return WebError(status, title, str(error))
    raise AssertionError("ServiceError is the last entry")  # pragma: no cover


def install(app: FastAPI) -> None:
    async def web_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, WebError)
        return respond(request, exc)

    async def service_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, service.ServiceError)
        return respond(request, from_service(exc))

    async def invalid_request(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        fields = ", ".join(".".join(map(str, e.get("loc", ())[1:])) for e in exc.errors())
        message = f"Permintaan tidak lengkap atau tidak sah: {fields or 'isi'}."
        return respond(request, WebError(422, "Data tidak sah", message))

    app.add_exception_handler(WebError, web_error)
    app.add_exception_handler(service.ServiceError, service_error)
    app.add_exception_handler(RequestValidationError, invalid_request)
