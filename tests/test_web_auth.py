"""Sign-in, sessions, CSRF and rate limits of the web app, in process (no Temporal needed)."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute

from app import service
from app.settings import Settings
from app.web import auth
from app.web.deps import get_client
from app.web.limits import SignInLimiter
from app.web.main import create_app
from tests.webapp import PASSWORD, People, form_csrf, http

# Sign-in itself is open, of course; everything else needs its session.
PUBLIC = {"/health", "/verifikasi/{value}", "/masuk", "/api/masuk"}


@pytest.fixture
def app(accounts: Path) -> FastAPI:
    web = create_app(replace(Settings(), accounts_file=accounts))
    web.dependency_overrides[get_client] = lambda: None  # never reached without a session
    return web


def routes(app: FastAPI) -> list[tuple[str, str]]:
    """Every (method, path) the app serves, through its included routers."""
    found: list[tuple[str, str]] = []

    def walk(entries: list, prefix: str) -> None:
        for entry in entries:
            if isinstance(entry, APIRoute):
                found.extend((m, prefix + entry.path) for m in sorted(entry.methods))
            elif hasattr(entry, "original_router"):  # FastAPI >= 0.160 includes lazily
                walk(entry.original_router.routes, prefix + entry.include_context.prefix)

    walk(app.routes, "")
    return found


async def sign_in_form(web: httpx.AsyncClient, user: str, sandi: str) -> httpx.Response:
    csrf = form_csrf((await web.get("/masuk")).text)
    return await web.post("/masuk", data={"user": user, "sandi": sandi, "csrf": csrf})


async def test_every_route_but_health_and_verification_needs_a_session(app: FastAPI) -> None:
    """Without a session, pages redirect to /masuk and the API answers 401 (the events
    API for other systems asks for its token instead)."""
    guarded = [(m, p) for m, p in routes(app) if p not in PUBLIC]
    async with http(app) as web:
        answers = {
            (method, path): await web.request(
                method, path.replace("{replication_id}", "palopo-2020-01").replace("{seq}", "1")
            )
            for method, path in guarded
        }

    assert 12 <= len(guarded)
    for (method, path), response in answers.items():
        if "/peristiwa/" in path:  # the events API of other systems: a token, not a session
            assert 401 == response.status_code, (method, path)
            assert response.json()["detail"].startswith("Token API tidak ada")
        elif path.startswith("/api/"):
            assert 401 == response.status_code, (method, path)
            assert "Silakan masuk terlebih dahulu." == response.json()["detail"]
        else:
            assert 303 == response.status_code, (method, path, response.status_code)
            back = path.replace("{replication_id}", "palopo-2020-01").replace("{seq}", "1")
            expected = f"/masuk?lanjut={back if method == 'GET' else '/'}"
            assert expected == response.headers["location"], (method, path)


async def test_sign_in_sets_a_hardened_session_cookie(accounts: Path, people: People) -> None:
    """Sign-in leads to the inbox; the cookie is HttpOnly, SameSite=Lax and, outside
    development, Secure."""
    settings = replace(
        Settings(), accounts_file=accounts, environment="produksi", session_secret="r" * 40
    )
    async with http(create_app(settings)) as web:
        response = await sign_in_form(web, people.kadinkes, PASSWORD)

    assert 303 == response.status_code
    assert "/kotak-masuk" == response.headers["location"]
    cookie = response.headers["set-cookie"].lower()
    for flag in ("httponly", "samesite=lax", "secure", "max-age=28800"):
        assert flag in cookie


async def test_wrong_password_and_unknown_user_read_the_same(app: FastAPI, people: People) -> None:
    """Neither answer tells whether the user id exists."""
    async with http(app) as web:
        wrong = await sign_in_form(web, people.kadinkes, "salah-sandi")
        unknown = await sign_in_form(web, "tidak.ada", "salah-sandi")

    assert 401 == wrong.status_code == unknown.status_code
    assert "User atau kata sandi salah." in wrong.text
    assert "User atau kata sandi salah." in unknown.text


async def test_forms_without_the_csrf_token_are_refused(app: FastAPI, people: People) -> None:
    """Sign-in, decisions and sign-out need the form's token; the API needs X-CSRF-Token."""
    async with http(app) as web:
        await web.get("/masuk")
        no_token_sign_in = await web.post(
            "/masuk", data={"user": people.kadinkes, "sandi": PASSWORD}
        )
        await sign_in_form(web, people.kadinkes, PASSWORD)
        decision = await web.post(
            "/replikasi/palopo-2020-01/keputusan", data={"keputusan": "approve"}
        )
        wrong = await web.post("/keluar", data={"csrf": "bukan-token"})
        api = await web.post(
            "/api/replikasi/palopo-2020-01/keputusan", json={"keputusan": "approve"}
        )
        still_signed_in = await web.get("/api/saya")

    assert 403 == no_token_sign_in.status_code
    assert 403 == decision.status_code == wrong.status_code == api.status_code
    assert "Formulir ini kedaluwarsa" in decision.text
    assert 200 == still_signed_in.status_code


async def test_sign_out_ends_the_session(app: FastAPI, people: People) -> None:
    async with http(app) as web:
        await sign_in_form(web, people.kadinkes, PASSWORD)
        csrf = (await web.get("/api/saya")).json()["csrf_token"]
        await web.post("/keluar", data={"csrf": csrf})
        after = await web.get("/api/saya")

    assert 401 == after.status_code


async def test_sign_in_returns_only_to_a_page_of_this_site(app: FastAPI, people: People) -> None:
    """`lanjut` may name a path here, never another site; signed in, /masuk goes there."""
    async with http(app) as web:
        csrf = form_csrf((await web.get("/masuk")).text)
        data = {"user": people.koordinator, "sandi": PASSWORD, "csrf": csrf}
        outside = await web.post("/masuk", data={**data, "lanjut": "//contoh.invalid/x"})
        again = await web.get("/masuk?lanjut=/riwayat")  # signed in already: straight on
        await web.post("/keluar", data={"csrf": (await web.get("/api/saya")).json()["csrf_token"]})
        csrf = form_csrf((await web.get("/masuk")).text)
        inside = await web.post("/masuk", data={**data, "csrf": csrf, "lanjut": "/riwayat"})

    assert "/koordinator" == outside.headers["location"]
    assert "/riwayat" == again.headers["location"] == inside.headers["location"]


async def test_five_wrong_passwords_lock_the_account(app: FastAPI, people: People) -> None:
    """After five failures even the right password waits (429, Retry-After); other
    accounts from the same address still sign in."""
    async with http(app) as web:
        for _ in range(5):
            assert 401 == (await sign_in_form(web, people.sekda, "salah-sandi")).status_code
        locked = await sign_in_form(web, people.sekda, PASSWORD)
        api_locked = await web.post("/api/masuk", json={"user": people.sekda, "sandi": PASSWORD})
        other = await sign_in_form(web, people.kadinkes, PASSWORD)

    assert 429 == locked.status_code == api_locked.status_code
    assert "Terlalu banyak percobaan masuk" in locked.text
    assert 0 < int(locked.headers["retry-after"]) <= 15 * 60
    assert 303 == other.status_code


async def test_one_address_may_fail_twenty_times(app: FastAPI, people: People) -> None:
    """Trying many user ids from one address is stopped too."""
    async with http(app) as web:
        for n in range(20):
            await web.post("/api/masuk", json={"user": f"coba.{n}", "sandi": "x"})
        blocked = await web.post("/api/masuk", json={"user": people.kadinkes, "sandi": PASSWORD})

    assert 429 == blocked.status_code


def test_limits_end_with_their_window_and_success_clears_failures() -> None:
    now = [1000.0]
    limiter = SignInLimiter(clock=lambda: now[0])
    for _ in range(5):
        limiter.record("sekda", "10.0.0.1", succeeded=False)
    locked = limiter.retry_after("sekda", "10.0.0.1")
    now[0] += 15 * 60
    after_window = limiter.retry_after("sekda", "10.0.0.1")
    for _ in range(4):
        limiter.record("kadinkes", "10.0.0.2", succeeded=False)
    limiter.record("kadinkes", "10.0.0.2", succeeded=True)
    limiter.record("kadinkes", "10.0.0.2", succeeded=False)
    for n in range(50):  # an office behind one address: successes never lock it
        limiter.record(f"pejabat.{n}", "10.0.0.4", succeeded=True)

    assert 15 * 60 == locked
    assert 0 == after_window
    assert 0 == limiter.retry_after("kadinkes", "10.0.0.3")
    assert 0 == limiter.retry_after("pejabat.50", "10.0.0.4")


def test_outside_development_the_published_secret_and_demo_accounts_are_refused(
    accounts: Path,
) -> None:
    production = replace(Settings(), accounts_file=accounts, environment="produksi")
    with pytest.raises(service.ServiceError, match="REPLIKASI_SESSION_SECRET"):
        auth.check_web_settings(production)
    with pytest.raises(service.ServiceError, match="REPLIKASI_ACCOUNTS_FILE"):
        auth.check_web_settings(
            replace(production, session_secret="r" * 40, accounts_file=auth.DEMO_ACCOUNTS)
        )
    auth.check_web_settings(replace(production, session_secret="r" * 40))  # both its own


def test_replikasi_web_will_not_start_in_production_with_the_default_secret() -> None:
    """One line on stderr, exit 1, no traceback."""
    env = {**os.environ, "REPLIKASI_ENV": "production", "REPLIKASI_SESSION_SECRET": ""}
    done = subprocess.run(
        [sys.executable, "-c", "from app.cli import main; main()", "web"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert 1 == done.returncode
    assert "REPLIKASI_SESSION_SECRET" in done.stderr
    assert "Traceback" not in done.stderr
