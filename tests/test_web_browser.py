"""The approver's web flow in real headless Chromium (Debian's, driven by Playwright) at a
phone's 375 px: sign in, the inbox, the PDF, a decision, and another's item refused."""

from __future__ import annotations

import io
import os
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import Browser, BrowserContext, Page, async_playwright
from pypdf import PdfReader

from app import service
from app.web.main import create_app
from app.web.verifikasi import get_archive
from tests.browser import CHROMIUM, CHROMIUM_ARGS, serve
from tests.conftest import Harness
from tests.test_replication_workflow import assert_eventually, history_length
from tests.webapp import PASSWORD, People, at_pengesahan, web_settings, write_accounts

PHONE = {"width": 375, "height": 800}


@pytest_asyncio.fixture
async def browser() -> AsyncIterator[Browser]:
    """Debian's Chromium; Playwright never downloads a browser of its own."""
    if not Path(CHROMIUM).exists():
        pytest.fail(
            "chromium missing: scripts/system-deps.sh installs it (apt-get install chromium)"
        )
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        await launched.close()


async def sign_in(browser: Browser, base: str, user: str) -> tuple[BrowserContext, Page]:
    context = await browser.new_context(viewport=PHONE, base_url=base)
    page = await context.new_page()
    await page.goto("/kotak-masuk")  # not signed in: sent to the sign-in page
    assert "/masuk?lanjut=/kotak-masuk" in page.url
    await page.fill("#user", user)
    await page.fill("#sandi", PASSWORD)
    await page.click("button[type=submit]")
    await page.wait_for_url(re.compile(r"/kotak-masuk$"))
    return context, page


async def keep_screenshot(page: Page, name: str) -> None:
    """With REPLIKASI_SCREENSHOT_DIR set, keep what the official saw (to look at it)."""
    folder = os.environ.get("REPLIKASI_SCREENSHOT_DIR")
    if folder:
        await page.screenshot(path=str(Path(folder) / name), full_page=True)


async def page_width(page: Page) -> int:
    return int(await page.evaluate("document.documentElement.scrollWidth"))


async def test_approver_signs_in_opens_the_pdf_decides_and_is_refused_anothers_item(
    harness: Harness, browser: Browser, tmp_path: Path
) -> None:
    """At 375 px without horizontal scrolling: the inbox shows the plan and its due date,
    its PDF opens inline, approving it is confirmed; the next approver is refused the item
    before their turn (403, history unchanged) and an outsider may not even open it; the
    coordinator's list shows it waiting for the next approver."""
    people = People.new()
    handle = await at_pengesahan(harness, people)
    rid = handle.id.removeprefix("replikasi-")
    app = create_app(web_settings(harness, write_accounts(tmp_path / "akun.yaml", people)))
    app.dependency_overrides[get_archive] = lambda: harness.archive
    await assert_eventually(lambda: _waits_for(harness, people.kadinkes, rid))

    with serve(app) as base:
        sekda, sekda_page = await sign_in(browser, base, people.sekda)
        await sekda_page.goto(f"/replikasi/{rid}")
        csrf = await sekda_page.get_attribute("input[name=csrf]", "value")
        before = await history_length(handle)
        forged = await sekda.request.post(
            f"/replikasi/{rid}/keputusan", form={"keputusan": "approve", "csrf": csrf or ""}
        )
        after_forged = await history_length(handle)
        sekda_form_count = await sekda_page.locator("input[name=keputusan]").count()

        kadinkes, page = await sign_in(browser, base, people.kadinkes)
        inbox = await page.inner_text("main")
        inbox_width = await page_width(page)
        await keep_screenshot(page, "kotak-masuk-375.png")
        pdf_href = await page.get_attribute("a[href$='.pdf']", "href")
        pdf = await kadinkes.request.get(pdf_href or "")
        pdf_body = await pdf.body()
        await page.click(f"a[href='/replikasi/{rid}']")
        detail_width = await page_width(page)
        await keep_screenshot(page, "replikasi-375.png")
        await page.check("input[value=approve]")
        await page.click("form[action$='/keputusan'] button[type=submit]")
        await page.wait_for_selector("p.status.ok")
        confirmation = await page.inner_text("main")
        await keep_screenshot(page, "diputuskan-375.png")

        outsider, outsider_page = await sign_in(browser, base, people.lain)
        refused = await outsider_page.goto(f"/replikasi/{rid}")
        refused_text = await outsider_page.inner_text("main")
        coordinator, coordinator_page = await sign_in(browser, base, people.koordinator)
        await coordinator_page.goto("/koordinator")
        overview = await coordinator_page.inner_text("main")
        overview_width = await page_width(coordinator_page)
        await keep_screenshot(coordinator_page, "koordinator-375.png")
        for context in (sekda, kadinkes, outsider, coordinator):
            await context.close()

    assert 403 == forged.status
    assert before == after_forged
    assert 0 == sekda_form_count
    assert "Menunggu keputusan Anda" in inbox
    assert rid in inbox and "Rencana aksi versi 1" in inbox
    assert re.search(r"Tenggat \d{1,2} [A-Z][a-z]+ \d{4} pukul \d{2}\.\d{2} WITA", inbox), inbox
    assert 375 >= inbox_width and 375 >= detail_width and 375 >= overview_width
    assert rid in overview and f"Menunggu: {people.sekda}" in overview
    assert "application/pdf" == pdf.headers["content-type"]
    assert pdf.headers["content-disposition"].startswith("inline;")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf_body)).pages)
    assert "RENCANA AKSI" in text.upper()
    assert f"Disetujui: Kelompok selesai; menunggu {people.sekda}." in confirmation
    assert refused is not None and 403 == refused.status
    assert "Anda bukan pejabat penyetuju replikasi ini." in refused_text
    decisions = (await service.status(harness.client, rid)).decisions
    assert [(people.kadinkes, "approve")] == [(d.approver, d.decision) for d in decisions]
    await handle.terminate("test selesai")


async def _waits_for(harness: Harness, user: str, rid: str) -> bool:
    return any(item.replication_id == rid for item in await service.inbox_for(harness.client, user))
