"""PAdES signatures (TTE): the dev PKI, the signer, validation with pyhanko, and the signed
documents of a replication, checked by `replikasi verify`, the page and pyhanko itself."""

from __future__ import annotations

import asyncio
import base64
import io
import logging
import re
import stat
import uuid
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from temporalio.client import WorkflowHistory
from temporalio.exceptions import ApplicationError

from activities.archive import ArchiveStore
from activities.contexts import build_context
from activities.documents import DocumentActivities, InProcessRenderer
from activities.rendering import render_document
from activities.signing import SignerUnavailable
from activities.signing.check import check_signature
from activities.signing.local import LocalPkiSigner
from activities.signing.pki import PkiCredentials, SignerIdentity, ensure_pki, signer_dir
from activities.signing.request import sign_request
from activities.verification import verify_file
from app import demo, pki, service
from tests import factories
from tests.conftest import Harness, own_register
from tests.doctext import pdf_text
from tests.fixtures.servers import S3Stack
from tests.test_replication_workflow import decide, record_history, through_transfer
from tests.test_verification import cli_env, replikasi_verify, web
from workflows.models import ProduceDocumentInput
from workflows.replication import ReplicationWorkflow

ROOT = Path(__file__).resolve().parents[1]
SEKDA = "sekda.palopo"
KADINKES = "kadinkes.palopo"
KIND = "lembar_pengesahan"


def signed_input(kind: str = KIND) -> ProduceDocumentInput:
    """The input the workflow passes for a signed kind: the final approver signs."""
    return replace(factories.sample_input(kind), penandatangan=SEKDA)


@cache
def rendered_pdf(kind: str = KIND) -> bytes:
    inp = signed_input(kind)
    return render_document(kind, build_context(inp)).pdf


def sign(signer: LocalPkiSigner, pdf: bytes, user: str = SEKDA) -> bytes:
    return signer.sign(pdf, replace(sign_request(signed_input()), user=user))


def trust(pki_dir: Path) -> bytes:
    return (pki_dir / "ca.pem").read_bytes()


def one_byte_changed(data: bytes) -> bytes:
    """The rendered part of the file with one byte flipped (inside a content stream)."""
    at = len(rendered_pdf()) // 2
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


def page_appended(data: bytes) -> bytes:
    """What someone adding a page in an editor saves: an incremental update after ours."""
    writer = PdfWriter(io.BytesIO(data), incremental=True)
    writer.add_blank_page()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# -- the signer and pyhanko's verdict --------------------------------------------------------


def test_signed_pdf_is_intact_valid_and_names_the_signer(
    signer: LocalPkiSigner, pki_dir: Path
) -> None:
    """pyhanko validates the signature against the dev CA and names the Sekda who signed."""
    verdict = check_signature(sign(signer, rendered_pdf()), trust(pki_dir), SEKDA)

    assert verdict.ok, verdict.keterangan
    assert (SEKDA, "Drs. Muhammad Arifin Tahir, M.Si.") == (verdict.user, verdict.nama)
    assert (
        "Ditandatangani secara elektronik oleh Drs. Muhammad Arifin Tahir, M.Si., Sekretaris "
        "Daerah Kota Palopo; tanda tangan utuh dan sah." == verdict.keterangan
    )


def test_signing_is_an_incremental_update_that_keeps_pdf_a(signer: LocalPkiSigner) -> None:
    """The rendered bytes stay the file's prefix; XMP and Info still say PDF/A-3B alike."""
    pdf = rendered_pdf()
    signed = sign(signer, pdf)
    reader = PdfReader(io.BytesIO(signed))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()

    assert signed.startswith(pdf)
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp
    producer = re.search(r'pdf:Producer="([^"]+)"', xmp)
    assert producer is not None and reader.metadata is not None
    assert producer.group(1) == reader.metadata["/Producer"]


def test_same_request_signs_the_same_bytes(signer: LocalPkiSigner) -> None:
    """A retried activity re-puts identical bytes: no clock, no random in the signature."""
    pdf = rendered_pdf()

    assert sign(signer, pdf) == sign(signer, pdf)


def test_one_changed_byte_breaks_the_signature(signer: LocalPkiSigner, pki_dir: Path) -> None:
    """A byte of the signed content flipped: the digest no longer matches."""
    verdict = check_signature(one_byte_changed(sign(signer, rendered_pdf())), trust(pki_dir), SEKDA)

    assert not verdict.ok
    assert "tanda tangan tidak utuh" in verdict.keterangan


def test_page_appended_after_signing_is_reported(signer: LocalPkiSigner, pki_dir: Path) -> None:
    """The signature is intact but covers only the revision before the added page."""
    verdict = check_signature(page_appended(sign(signer, rendered_pdf())), trust(pki_dir), SEKDA)

    assert not verdict.ok
    assert "diubah setelah ditandatangani" in verdict.keterangan


def test_signature_by_another_approver_is_the_wrong_signer(
    signer: LocalPkiSigner, pki_dir: Path
) -> None:
    """A valid signature of our CA, but by the Kepala Dinas on the Sekda's document."""
    signed = sign(signer, rendered_pdf(), user="kadinkes.palopo")

    verdict = check_signature(signed, trust(pki_dir), SEKDA)

    assert not verdict.ok
    assert "seharusnya sekda.palopo, bukan kadinkes.palopo" in verdict.keterangan


def test_certificate_of_another_ca_is_not_trusted(tmp_path: Path, pki_dir: Path) -> None:
    """A look-alike CA with the same names: the chain does not lead to our CA."""
    ensure_pki(tmp_path, [SignerIdentity(SEKDA, "Drs. Muhammad Arifin Tahir, M.Si.")])
    forged = sign(LocalPkiSigner(PkiCredentials(tmp_path)), rendered_pdf())

    verdict = check_signature(forged, trust(pki_dir), SEKDA)

    assert not verdict.ok
    assert "tidak diterbitkan oleh CA yang kami percayai" in verdict.keterangan


def test_unsigned_pdf_of_a_signed_kind_is_reported(pki_dir: Path) -> None:
    """A signed kind's PDF without its signature (e.g. re-rendered) is not accepted."""
    verdict = check_signature(rendered_pdf(), trust(pki_dir), SEKDA)

    assert not verdict.ok
    assert "tidak memuat tanda tangan" in verdict.keterangan


def test_signed_pdf_prints_who_signed_and_which_ca_issued_it() -> None:
    """The TTE line beside the QR code: the signer, and honestly not BSrE."""
    text = " ".join(pdf_text(rendered_pdf()).split())

    assert (
        "Ditandatangani secara elektronik oleh Drs. Muhammad Arifin Tahir, M.Si., Sekretaris "
        "Daerah Kota Palopo, dengan sertifikat elektronik yang diterbitkan oleh CA "
        "Pengembangan replikasi (sertifikat uji, bukan BSrE)." in text
    )


# -- the dev PKI ---------------------------------------------------------------------------


def test_pki_init_makes_a_certificate_per_signer_once(tmp_path: Path) -> None:
    """Approvers and agency heads of the seed scenario; a second run makes nothing."""
    first = pki.init(tmp_path, pki.default_files())
    second = pki.init(tmp_path, pki.default_files())

    made = {line.split(":")[1].split("—")[0].strip() for line in first[1:]}
    assert {"kadinkes.palopo", "sekda.palopo", "kadisdukcapil.palopo"} <= made
    assert "kepala.lutra-dinkes" in made
    assert "kepala.palopo-dinkes" not in made  # the same person as kadinkes.palopo (NIP)
    assert first[0].startswith("CA dibuat: CA Pengembangan replikasi")
    assert [] == second


def test_keys_and_passphrases_are_readable_only_by_their_owner(pki_dir: Path) -> None:
    """Secrets 0600 in folders 0700, as the worker's credentials source expects."""
    folder = signer_dir(pki_dir, SEKDA)
    for path in (pki_dir / "ca-key.pem", folder / "key.pem", folder / "passphrase"):
        assert 0o600 == stat.S_IMODE(path.stat().st_mode), path
    for path in (pki_dir, folder.parent, folder):
        assert 0o700 == stat.S_IMODE(path.stat().st_mode), path


def test_user_without_a_certificate_is_a_retryable_error_naming_them(
    archive: ArchiveStore, tmp_path: Path
) -> None:
    """The document waits (retries) until `replikasi pki init`; nothing is archived."""
    ensure_pki(tmp_path, [])
    documents = DocumentActivities(
        archive, InProcessRenderer(), LocalPkiSigner(PkiCredentials(tmp_path))
    )

    with pytest.raises(ApplicationError) as failure:
        documents.produce_document(signed_input())

    assert "SignerUnavailable" == failure.value.type
    assert not failure.value.non_retryable
    assert "'sekda.palopo'" in failure.value.message
    assert "replikasi pki init" in failure.value.message
    assert [] == archive.list_keys("")


def test_wrong_passphrase_is_reported_without_quoting_it(tmp_path: Path) -> None:
    """The error names the user, never the passphrase it tried."""
    ensure_pki(tmp_path, [SignerIdentity(SEKDA, "Drs. Muhammad Arifin Tahir, M.Si.")])
    wrong = "bukan-passphrase-yang-benar"
    (signer_dir(tmp_path, SEKDA) / "passphrase").write_text(wrong)

    with pytest.raises(SignerUnavailable) as failure:
        sign(LocalPkiSigner(PkiCredentials(tmp_path)), rendered_pdf())

    assert "'sekda.palopo' tidak dapat dibuka" in str(failure.value)
    assert wrong not in str(failure.value)
    assert failure.value.__cause__ is None


# -- the activity, the archive, `replikasi verify` and the page -------------------------------


def test_retried_activity_archives_identical_signed_bytes(
    archive: ArchiveStore, signer: LocalPkiSigner
) -> None:
    """produce_document twice for one input: the same sha256, and the signer in metadata."""
    documents = DocumentActivities(archive, InProcessRenderer(), signer)

    first = documents.produce_document(signed_input())
    second = documents.produce_document(signed_input())

    assert first.pdf_sha256 == second.pdf_sha256
    assert SEKDA == archive.metadata(first.pdf_key)["penandatangan"]


async def test_cli_verify_reports_the_signature_and_fails_altered_copies(
    archive: ArchiveStore,
    signer: LocalPkiSigner,
    pki_dir: Path,
    s3_stack: S3Stack,
    tmp_path: Path,
) -> None:
    """ASLI with the signer (exit 0); one byte changed or a page appended: exit 1."""
    ref = DocumentActivities(archive, InProcessRenderer(), signer).produce_document(signed_input())
    signed = archive.get(ref.pdf_key)
    files = {"asli": signed, "byte": one_byte_changed(signed), "hal": page_appended(signed)}
    for name, data in files.items():
        (tmp_path / f"{name}.pdf").write_bytes(data)
    env = {**cli_env(s3_stack, archive), "REPLIKASI_PKI_DIR": str(pki_dir)}

    asli, byte, hal = await asyncio.gather(
        *(replikasi_verify(tmp_path / f"{name}.pdf", env) for name in files)
    )

    assert 0 == asli.returncode, asli.stdout + asli.stderr
    assert asli.stdout.startswith("ASLI: asli.pdf")
    assert "penandatangan: sekda.palopo" in asli.stdout
    assert "tanda tangan utuh dan sah" in asli.stdout
    assert (1, 1) == (byte.returncode, hal.returncode)
    assert "tanda tangan tidak utuh" in byte.stdout
    assert "diubah setelah ditandatangani" in hal.stdout
    assert "Traceback" not in asli.stderr + byte.stderr + hal.stderr


async def test_page_upload_names_the_signer(
    archive: ArchiveStore,
    signer: LocalPkiSigner,
    pki_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """/verifikasi/<sha256> names who signed the archived PDF; an uploaded copy with a page
    appended is reported as changed after signing."""
    ref = DocumentActivities(archive, InProcessRenderer(), signer).produce_document(signed_input())
    signed = archive.get(ref.pdf_key)
    monkeypatch.setenv("REPLIKASI_PKI_DIR", str(pki_dir))  # read by the app's Settings()
    async with web(archive) as client:
        url = f"/verifikasi/{ref.pdf_sha256}"
        shown = await client.get(url)
        right = await client.post(url, files={"berkas": ("a.pdf", signed)})
        altered = await client.post(url, files={"berkas": ("b.pdf", page_appended(signed))})

    for page in (shown.text, right.text):
        assert "tanda tangan utuh dan sah" in page
        assert "Drs. Muhammad Arifin Tahir, M.Si." in page
    assert "diubah setelah ditandatangani" in altered.text


# -- end to end: a replication on the real dev server and SeaweedFS --------------------------


def readable(history: WorkflowHistory) -> str:
    """The history's JSON with every payload decoded (payload data is base64 there)."""
    text = history.to_json()
    payloads = re.findall(r'"data": ?"([A-Za-z0-9+/=]+)"', text)
    return text + "\n".join(base64.b64decode(p).decode("utf-8", "replace") for p in payloads)


async def test_replication_to_selesai_signs_its_decisions_and_keeps_secrets_out(
    harness: Harness, pki_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """SK Tim, Lembar Pengesahan and the final Rencana Aksi carry the final approver's valid
    signature; no passphrase or key reaches the workflow history or the logs."""
    caplog.set_level(logging.DEBUG)
    handle = await harness.start(harness.replication())
    await through_transfer(handle)
    await handle.execute_update(ReplicationWorkflow.tim_dibentuk, factories.team())
    await handle.execute_update(ReplicationWorkflow.rencana_aksi, factories.plan(1))
    await decide(handle, "kadinkes.palopo", "approve")
    await decide(handle, SEKDA, "approve")
    result = await handle.result()
    await record_history(handle, "selesai-pades")
    history = readable(await handle.fetch_history())

    signed = {
        r.kind: r for r in result.documents if r.kind in ("sk_tim", KIND, "rencana_aksi_final")
    }
    assert 3 == len(signed)
    # Each is signed by whose block it prints: the Lembar Pengesahan by the Sekda, the SK
    # and the final plan by the replikator's head, the Kepala Dinas.
    expected = {"sk_tim": KADINKES, KIND: SEKDA, "rencana_aksi_final": KADINKES}
    for ref in signed.values():
        verdict = verify_file(harness.archive, harness.archive.get(ref.pdf_key), harness.trust_pem)
        assert verdict.authentic, verdict.reason
        assert verdict.signature is not None and expected[ref.kind] == verdict.signature.user
    unsigned = next(r for r in result.documents if r.kind == "surat_permohonan")
    assert 0 == len(PdfReader(io.BytesIO(harness.archive.get(unsigned.pdf_key))).get_fields() or {})
    folder = signer_dir(pki_dir, SEKDA)
    passphrase = (folder / "passphrase").read_text().strip()
    key_line = (folder / "key.pem").read_text().splitlines()[1]
    assert '"penandatangan":"sekda.palopo"' in history  # the id travels, decoded here
    for secret in (passphrase, key_line):
        assert secret not in history
        assert secret not in caplog.text


async def test_seed_scenario_signs_the_final_plan_and_the_lembar_pengesahan(
    harness: Harness,
) -> None:
    """HIPNO-BUNDA (examples/palopo-2020/01) as `replikasi demo` drives and checks it: the
    Lembar Pengesahan is signed by the Plh. Sekretaris Daerah who signed version 2, the
    final plan by the Kepala Dinas whose block it prints; nothing amiss."""
    scenario = demo.load_scenarios(ROOT / "examples" / "palopo-2020")[0]
    inp = own_register(replace(scenario.replication, replication_id=f"uji-{uuid.uuid4().hex[:8]}"))
    await harness.start(inp)
    for step in scenario.steps:
        await demo.run_step(harness.client, inp.replication_id, step)
    result = await service.result(harness.client, inp.replication_id)

    check = demo.verify(harness.archive, scenario, result, harness.trust_pem)

    assert [] == check.problems
    signed = {ref.kind: check.signatures.get(ref.pdf_key, "") for ref in result.documents}
    signers = {
        "lembar_pengesahan": "Andi Baso Rahman, S.H., M.H., Asisten Pemerintahan dan "
        "Kesejahteraan Rakyat Sekretariat Daerah Kota Palopo",
        "rencana_aksi_final": "dr. Andi Rahmawati Saleh, M.Kes., Kepala Dinas Kesehatan "
        "Kota Palopo",
    }
    for kind, who in signers.items():
        expected = f"Ditandatangani secara elektronik oleh {who}; tanda tangan utuh dan sah"
        assert signed[kind].startswith(expected), (kind, signed[kind])
