"""The JSON API fuzzed with schemathesis against its own OpenAPI schema: no answer is a
server error, signed in or not, with valid and invalid data (issue 6)."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from app.web.main import create_app
from app.web.verifikasi import get_archive
from tests.browser import serve
from tests.conftest import Harness
from tests.webapp import PASSWORD, People, at_pengesahan, web_settings, write_accounts

EXAMPLES_PER_OPERATION = 25
# Signing out would end the fuzzing session for every later case; its refusals (no
# session, no token) are covered in tests/test_web_auth.py.
SKIPPED = {("POST", "/api/keluar")}


def fuzz(base: str, raw_schema: dict, session: requests.Session, seen: Counter[int]) -> list[str]:
    """Every operation with positive and negative cases; the answers that were 5xx."""
    schema = schemathesis.openapi.from_dict(raw_schema)
    errors: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in SKIPPED:
            continue
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=EXAMPLES_PER_OPERATION,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def check(case: schemathesis.Case) -> None:
                response = case.call(base_url=base, session=session, timeout=30)
                seen[response.status_code] += 1
                if response.status_code >= 500:
                    errors.append(f"{case.method} {case.formatted_path}: {response.status_code}")

            try:
                check()
            except Unsatisfiable:
                # Nothing to make invalid (no parameters, no body): the positive run covers it.
                assert GenerationMode.NEGATIVE == mode, operation.path
    return errors


async def test_no_api_answer_is_a_server_error(harness: Harness, tmp_path: Path) -> None:
    """Hundreds of generated requests to every operation of /api/, as an approver who has a
    replication waiting and without a session: none answers 5xx."""
    people = People.new()
    handle = await at_pengesahan(harness, people)
    app = create_app(web_settings(harness, write_accounts(tmp_path / "akun.yaml", people)))
    app.dependency_overrides[get_archive] = lambda: harness.archive
    raw_schema = app.openapi()

    with serve(app) as base:
        signed_in = requests.Session()
        answer = signed_in.post(
            f"{base}/api/masuk", json={"user": people.kadinkes, "sandi": PASSWORD}
        )
        signed_in.headers["X-CSRF-Token"] = answer.json()["csrf_token"]
        # In a thread: this test's loop keeps running the worker that answers the queries.
        seen: Counter[int] = Counter()
        errors = await asyncio.to_thread(fuzz, base, raw_schema, signed_in, seen)
        anonymous: Counter[int] = Counter()
        errors += await asyncio.to_thread(fuzz, base, raw_schema, requests.Session(), anonymous)

    assert [] == errors
    assert 200 <= sum(seen.values()) and {200, 404, 422} <= set(seen), seen
    assert 401 in anonymous, anonymous
    assert 8 <= len(raw_schema["paths"])
    await handle.terminate("test selesai")
