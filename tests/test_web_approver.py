"""The approver's and coordinator's JSON API and pages, in process, on the real Temporal
dev server and SeaweedFS: inbox, PDF, decisions, and refusals that write nothing."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from pypdf import PdfReader

from app import service
from app.settings import Settings
from app.web.deps import get_client
from app.web.main import create_app
from tests.conftest import Harness
from tests.test_cli import replikasi
from tests.test_replication_workflow import assert_eventually, history_length
from tests.webapp import People, api_sign_in, at_pengesahan, http, in_process_app


async def inbox_ids(web: httpx.AsyncClient) -> list[str]:
    response = await web.get("/api/kotak-masuk")
    assert 200 == response.status_code, response.text
    return [item["replication_id"] for item in response.json()]


async def test_approver_sees_the_plan_in_the_inbox_opens_it_and_decides(
    harness: Harness, people: People, accounts: Path
) -> None:
    """The inbox lists what waits for me with its due date and plan; the PDF opens inline;
    my approval moves the item to the next approver's inbox and into my history, which
    keeps it after the last approval has ended the replication."""
    handle = await at_pengesahan(harness, people)
    rid = handle.id.removeprefix("replikasi-")
    app = in_process_app(harness, accounts)
    async with http(app) as kadinkes, http(app) as sekda:
        csrf = await api_sign_in(kadinkes, people.kadinkes)
        await api_sign_in(sekda, people.sekda)
        await assert_eventually(lambda: _contains(kadinkes, rid))
        [item] = [i for i in (await kadinkes.get("/api/kotak-masuk")).json()]
        pdf = await kadinkes.get(f"/dokumen/{rid}/{item['document']['seq']}.pdf")
        decided = await kadinkes.post(
            f"/api/replikasi/{rid}/keputusan",
            json={"keputusan": "approve", "catatan": "<b>Setuju</b> & lanjutkan"},
            headers={"X-CSRF-Token": csrf},
        )
        mine_after = await inbox_ids(kadinkes)
        theirs_after = await inbox_ids(sekda)
        history = (await kadinkes.get("/api/riwayat")).json()
        sekda_csrf = (await sekda.get("/api/saya")).json()["csrf_token"]
        final = await sekda.post(
            f"/api/replikasi/{rid}/keputusan",
            json={"keputusan": "approve"},
            headers={"X-CSRF-Token": sekda_csrf},
        )
        await handle.result()
        await assert_eventually(lambda: _ended(kadinkes, rid))
        ended_history = (await kadinkes.get("/api/riwayat")).json()
        page = await kadinkes.get("/riwayat")

    assert "rencana_aksi" == item["document"]["kind"]
    assert 1 == item["version"]
    assert item["since"] < item["due"]
    assert 200 == pdf.status_code
    assert "application/pdf" == pdf.headers["content-type"]
    assert pdf.headers["content-disposition"].startswith("inline;")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "RENCANA AKSI" in text.upper()
    assert 200 == decided.status_code, decided.text
    assert f"Kelompok selesai; menunggu {people.sekda}." == decided.json()["message"]
    assert rid not in mine_after
    assert rid in theirs_after
    assert [(rid, "approve", 1)] == [
        (h["replication_id"], h["decision"], h["version"]) for h in history
    ]
    assert "Rencana aksi disahkan." == final.json()["message"]
    assert [(rid, "approve", 1, "selesai")] == [
        (h["replication_id"], h["decision"], h["version"], h["stage"]) for h in ended_history
    ]
    assert "Disetujui · versi 1" in page.text and "Tahap sekarang: Selesai" in page.text
    assert "Catatan: &lt;b&gt;Setuju&lt;/b&gt; &amp; lanjutkan" in page.text  # escaped


async def _ended(web: httpx.AsyncClient, rid: str) -> bool:
    """Visibility has seen the replication close (the history reads its manifest then)."""
    history = (await web.get("/api/riwayat")).json()
    return any(h["replication_id"] == rid and h["stage"] == "selesai" for h in history)


async def _contains(web: httpx.AsyncClient, rid: str) -> bool:
    return rid in await inbox_ids(web)


async def test_a_decision_by_anyone_else_is_refused_and_written_nowhere(
    harness: Harness, people: People, accounts: Path
) -> None:
    """The next approver (not yet their turn), an approver of nothing here and a
    coordinator all get 403 on the API and the form, `replikasi decide` exits 1, and a
    revision without a note is refused (422); the workflow's history is unchanged."""
    handle = await at_pengesahan(harness, people)
    rid = handle.id.removeprefix("replikasi-")
    before = await history_length(handle)
    app = in_process_app(harness, accounts)
    answers = {}
    async with http(app) as web:
        for user in (people.sekda, people.lain, people.koordinator):
            csrf = await api_sign_in(web, user)
            answers[user] = await web.post(
                f"/api/replikasi/{rid}/keputusan",
                json={"keputusan": "reject", "catatan": "Bukan giliran saya."},
                headers={"X-CSRF-Token": csrf},
            )
        form = await web.post(  # still signed in as the coordinator
            f"/replikasi/{rid}/keputusan", data={"keputusan": "approve", "csrf": csrf}
        )
        csrf = await api_sign_in(web, people.kadinkes)  # their turn, but no note
        no_note = await web.post(
            f"/replikasi/{rid}/keputusan", data={"keputusan": "revise", "csrf": csrf}
        )
        csrf = await api_sign_in(web, people.lain)
        view = await web.get(f"/api/replikasi/{rid}")
        pdf = await web.get(f"/dokumen/{rid}/1.pdf")
    cli = await replikasi("decide", rid, "--as", people.lain, "approve", harness=harness)

    assert {user: 403 for user in answers} == {u: r.status_code for u, r in answers.items()}
    assert 403 == form.status_code == view.status_code == pdf.status_code
    assert "Anda bukan pejabat penyetuju replikasi ini." == view.json()["detail"]
    assert 422 == no_note.status_code
    assert "Permintaan revisi atau penolakan wajib diberi catatan." in no_note.text
    assert 1 == cli.returncode
    assert f"yang dapat memutuskan: {people.kadinkes}." in cli.stderr
    assert before == await history_length(handle)
    assert [] == (await service.status(harness.client, rid)).decisions
    await handle.terminate("test selesai")


async def test_coordinator_sees_every_replication_its_stage_and_whom_it_waits_for(
    harness: Harness, people: People, accounts: Path
) -> None:
    """The coordinator's list names the stage, who it waits for and since when; approvers
    may not open it."""
    handle = await harness.start(harness.replication())
    rid = handle.id.removeprefix("replikasi-")
    app = in_process_app(harness, accounts)
    async with http(app) as web:
        await api_sign_in(web, people.koordinator)
        await assert_eventually(lambda: _listed(web, rid))
        rows = {r["id"]: r for r in (await web.get("/api/replikasi")).json()}
        page = await web.get("/koordinator")
        detail = await web.get(f"/replikasi/{rid}")
        await api_sign_in(web, people.kadinkes)
        refused = await web.get("/koordinator")

    status = rows[rid]["status"]
    assert "seleksi" == rows[rid]["stage"]
    assert ["kesediaan", "penolakan"] == status["waiting_for"]
    assert status["waiting_on"][0].startswith("dr. Hasniah Latif")
    assert rid in page.text and "Seleksi dan kesediaan" in page.text
    assert "Menunggu: dr. Hasniah Latif" in page.text
    assert "Surat Permohonan" in detail.text
    assert 403 == refused.status_code
    await handle.terminate("test selesai")


async def _listed(web: httpx.AsyncClient, rid: str) -> bool:
    response = await web.get("/api/replikasi")
    # Listed by visibility, and its opening letter archived.
    return any(
        row["id"] == rid and (row["status"] or {}).get("documents") for row in response.json()
    )


async def test_a_refusal_by_the_workflow_answers_409(
    people: People, accounts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the workflow's validator refuses (e.g. it lost a race), the API says 409 with
    the workflow's reason."""

    async def refused(*args: object) -> None:
        raise service.EventRejected("Belum giliran 'x': menunggu keputusan 'y'.")

    monkeypatch.setattr(service, "decide", refused)
    app = create_app(replace(Settings(), accounts_file=accounts))
    app.dependency_overrides[get_client] = lambda: None
    async with http(app) as web:
        csrf = await api_sign_in(web, people.kadinkes)
        answer = await web.post(
            "/api/replikasi/palopo-2020-01/keputusan",
            json={"keputusan": "approve"},
            headers={"X-CSRF-Token": csrf},
        )

    assert 409 == answer.status_code
    assert "Belum giliran 'x': menunggu keputusan 'y'." == answer.json()["detail"]
