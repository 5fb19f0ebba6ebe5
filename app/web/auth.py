"""Sign-in, sessions and CSRF: every route but /health and /verifikasi/... needs an account.

The session is Starlette's signed cookie (HttpOnly, SameSite=Lax, Secure when the public
URL is https, eight hours); it holds only the user id and a CSRF token, and the account is
looked up again on every request, so an account removed from the file (and the app
restarted) is signed out.
Every form carries the token; the JSON API sends it as the X-CSRF-Token header.
"""

from __future__ import annotations

import asyncio
import hmac
import secrets
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, FastAPI, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.middleware.sessions import SessionMiddleware

from app import service
from app.accounts import (
    KOORDINATOR,
    PENYETUJU,
    Account,
    AccountsError,
    dummy_hash,
    load_accounts,
    verify_password,
)
from app.settings import DEFAULT_SESSION_SECRET, ROOT, Settings
from app.web.errors import WebError, is_api
from app.web.limits import SignInLimiter
from app.web.pages import render

SESSION_COOKIE = "replikasi_sesi"
SESSION_MAX_AGE = 8 * 3600
DEMO_ACCOUNTS = ROOT / "examples" / "akun.yaml"
HOME = {PENYETUJU: "/kotak-masuk", KOORDINATOR: "/koordinator"}

router = APIRouter()


def check_web_settings(settings: Settings) -> None:
    """Refuse to serve outside development with what the repository publishes: the
    default session secret, or the demo accounts (their passwords are in examples/)."""
    if settings.environment == "development":
        return
    if settings.session_secret in ("", DEFAULT_SESSION_SECRET):
        raise service.ServiceError(
            f"REPLIKASI_ENV={settings.environment}: setel REPLIKASI_SESSION_SECRET ke rahasia "
            "acak sendiri (mis. `python3 -c 'import secrets; print(secrets.token_urlsafe(32))'`)"
            "; rahasia bawaan hanya untuk pengembangan."
        )
    if settings.accounts_file.resolve() == DEMO_ACCOUNTS.resolve():
        raise service.ServiceError(
            f"REPLIKASI_ENV={settings.environment}: setel REPLIKASI_ACCOUNTS_FILE ke berkas "
            "akun sendiri; examples/akun.yaml hanya untuk demo (sandinya diterbitkan)."
        )


def install(app: FastAPI, settings: Settings) -> None:
    check_web_settings(settings)
    try:
        app.state.accounts = load_accounts(settings.accounts_file)
    except AccountsError as exc:
        raise service.ServiceError(f"{exc} (REPLIKASI_ACCOUNTS_FILE)") from exc
    app.state.limiter = SignInLimiter()
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.session_secret,
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_MAX_AGE,
        same_site="lax",
        # Secure: sent only over https; in development the embedded stack serves http.
        https_only=settings.environment != "development"
        or settings.public_url.startswith("https://"),
    )


class SignInRequired(WebError):
    def __init__(self, request: Request) -> None:
        # Back to the page after sign-in; a form's target cannot be opened with GET.
        target = quote(request.url.path if request.method == "GET" else "/", safe="/")
        headers = {} if is_api(request) else {"Location": f"/masuk?lanjut={target}"}
        status = 401 if is_api(request) else 303
        super().__init__(status, "Silakan masuk", "Silakan masuk terlebih dahulu.", headers)


def signed_in(request: Request) -> Account:
    """The signed-in account (a dependency); else 401 for the API, a redirect for pages."""
    user = request.session.get("user")
    account = request.app.state.accounts.get(user) if user else None
    if account is None:
        raise SignInRequired(request)
    request.state.account = account
    return account


def coordinator(account: Annotated[Account, Depends(signed_in)]) -> Account:
    if account.peran != KOORDINATOR:
        raise WebError(403, "Bukan wewenang Anda", "Halaman ini hanya untuk koordinator.")
    return account


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made on first use (the sign-in form needs one too)."""
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return str(token)


def check_csrf(request: Request, sent: str) -> None:
    expected = str(request.session.get("csrf") or "")
    if not expected or not hmac.compare_digest(expected.encode(), sent.encode()):
        raise WebError(
            403,
            "Formulir kedaluwarsa",
            "Formulir ini kedaluwarsa atau tidak berasal dari halaman ini. Muat ulang halaman "
            "lalu coba lagi.",
        )


def form_csrf(request: Request, csrf: Annotated[str, Form()] = "") -> None:
    """A dependency for every form post."""
    check_csrf(request, csrf)


def header_csrf(request: Request) -> None:
    """A dependency for every API call that changes something."""
    check_csrf(request, request.headers.get("x-csrf-token", ""))


Account_ = Annotated[Account, Depends(signed_in)]


async def sign_in(request: Request, user: str, password: str) -> Account:
    """Check a password under the rate limits; on success a fresh session for `user`."""
    limiter: SignInLimiter = request.app.state.limiter
    address = request.client.host if request.client else "-"
    wait = limiter.retry_after(user, address)
    if wait:
        raise WebError(
            429,
            "Terlalu banyak percobaan",
            f"Terlalu banyak percobaan masuk. Coba lagi dalam {(wait + 59) // 60} menit.",
            {"Retry-After": str(wait)},
        )
    account = request.app.state.accounts.get(user)
    stored = account.sandi if account else dummy_hash()
    # scrypt takes ~50 ms of CPU: off the event loop, so other requests are served.
    matches = await asyncio.to_thread(verify_password, password, stored)
    limiter.record(user, address, succeeded=bool(account and matches))
    if account is None or not matches:
        raise WebError(401, "Gagal masuk", "User atau kata sandi salah.")
    # A new session on sign-in: nothing from before (a planted cookie) carries over.
    request.session.clear()
    request.session.update(user=account.user, csrf=secrets.token_urlsafe(32))
    return account


def _next_page(lanjut: str, account: Account) -> str:
    # Only a path of this site: "//evil.example" or "https://..." would leave it.
    if lanjut.startswith("/") and not lanjut.startswith("//") and "\\" not in lanjut:
        return lanjut
    return HOME[account.peran]


@router.get("/masuk")
def sign_in_page(request: Request, lanjut: str = "") -> Response:
    account = request.app.state.accounts.get(request.session.get("user") or "")
    if account is not None:  # already signed in: straight on
        return RedirectResponse(_next_page(lanjut, account), status_code=303)
    return render(request, "masuk.html", {"lanjut": lanjut, "csrf": csrf_token(request)})


@router.post("/masuk")
async def sign_in_form(
    request: Request,
    user: Annotated[str, Form()] = "",
    sandi: Annotated[str, Form()] = "",
    lanjut: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf)
    try:
        account = await sign_in(request, user.strip(), sandi)
    except WebError as error:
        context = {"lanjut": lanjut, "user": user, "error": error.message}
        context["csrf"] = csrf_token(request)
        response = render(request, "masuk.html", context, error.status)
        response.headers.update(error.headers)
        return response
    return RedirectResponse(_next_page(lanjut, account), status_code=303)


@router.post("/keluar", dependencies=[Depends(signed_in), Depends(form_csrf)])
def sign_out(request: Request) -> Response:
    request.session.clear()
    return RedirectResponse("/masuk", status_code=303)


@router.get("/")
def home(account: Account_) -> Response:
    return RedirectResponse(HOME[account.peran], status_code=303)
