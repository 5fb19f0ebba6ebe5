"""The S3 archive against a real SeaweedFS (fixtures in tests/fixtures/servers.py)."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from activities.archive import (
    ArchiveMissing,
    ArchiveStore,
    StoredObject,
    decode_metadata,
    document_key,
    encode_metadata,
    make_s3_client,
    manifest_key,
)
from tests.fixtures.servers import S3Stack

PDF = b"%PDF-1.7\n% surat undangan\n"
NOMOR = "000.8.3.3/15/OR/2020"
INSTANSI = "Dinas Kesehatan – Palopo"


def test_document_key_follows_the_archive_layout() -> None:
    """Keys are <year>/<id>/<nn>-<kind>-v<version>.<ext>, seq padded to two digits."""
    assert "2020/palopo-01/03-surat_undangan-v1.pdf" == document_key(
        2020, "palopo-01", 3, "surat_undangan", 1, "pdf"
    )
    assert "2020/palopo-01/12-rencana_aksi-v2.docx" == document_key(
        2020, "palopo-01", 12, "rencana_aksi", 2, ".DOCX"
    )


def test_manifest_key_sits_beside_the_documents() -> None:
    """The manifest of a replication is <year>/<id>/manifest.json."""
    assert "2020/palopo-01/manifest.json" == manifest_key(2020, "palopo-01")


@pytest.mark.parametrize(
    "args",
    [
        (2020, "palopo/01", 1, "surat", 1, "pdf"),
        (2020, "palopo-01", 1, "surat/x", 1, "pdf"),
        (2020, "palopo-01", 100, "surat", 1, "pdf"),
        (2020, "palopo-01", 1, "surat", 0, "pdf"),
    ],
)
def test_document_key_rejects_values_that_break_the_layout(
    args: tuple[int, str, int, str, int, str],
) -> None:
    """A '/' in a segment, a seq above 99 or a version below 1 is refused."""
    with pytest.raises(ValueError):
        document_key(*args)


def test_metadata_encoding_round_trips_any_text() -> None:
    """Non-ASCII and '%' survive encode/decode; encoded values are plain ASCII."""
    original = {"nomor": NOMOR, "instansi": INSTANSI, "catatan": "50%41 naik"}
    encoded = encode_metadata(original)
    assert NOMOR == encoded["nomor"]
    assert [True, True, True] == [value.isascii() for value in encoded.values()]
    assert original == decode_metadata(encoded)


def test_put_then_get_returns_bytes_and_metadata(archive: ArchiveStore) -> None:
    """put() stores the bytes, the given metadata and the sha256; get() reads them back."""
    key = document_key(2020, "palopo-01", 3, "surat_undangan", 1, "pdf")
    digest = hashlib.sha256(PDF).hexdigest()

    stored = archive.put(
        key,
        PDF,
        "application/pdf",
        {"kind": "surat_undangan", "nomor": NOMOR, "instansi": INSTANSI},
    )

    assert StoredObject(key=key, sha256=digest, size=len(PDF)) == stored
    assert PDF == archive.get(key)
    expected = {"kind": "surat_undangan", "nomor": NOMOR, "instansi": INSTANSI, "sha256": digest}
    assert expected == archive.metadata(key)


def test_a_put_sends_its_body_at_once(archive: ArchiveStore) -> None:
    """No "Expect: 100-continue" round trip before a document's small body."""
    sent: list[dict[str, str]] = []

    def capture(request: Any, **_: Any) -> None:
        sent.append(dict(request.headers))

    archive.client.meta.events.register("before-send.s3.PutObject", capture)
    try:
        archive.put("2020/x/01-a-v1.pdf", PDF, "application/pdf", {"kind": "a"})
    finally:
        archive.client.meta.events.unregister("before-send.s3.PutObject", capture)

    assert 1 == len(sent)
    assert "Expect" not in sent[0]
    assert PDF == archive.get("2020/x/01-a-v1.pdf")


def test_put_always_records_the_computed_sha256(archive: ArchiveStore) -> None:
    """A caller-supplied sha256 is replaced by the hash of the bytes actually stored."""
    archive.put("2020/x/01-a-v1.pdf", PDF, "application/pdf", {"sha256": "0" * 64})
    assert hashlib.sha256(PDF).hexdigest() == archive.metadata("2020/x/01-a-v1.pdf")["sha256"]


def test_put_twice_keeps_one_object_with_the_latest_bytes(archive: ArchiveStore) -> None:
    """Re-putting a key (a retried activity) overwrites instead of adding an object."""
    key = document_key(2020, "palopo-01", 1, "surat_permohonan", 1, "pdf")
    archive.put(key, b"first", "application/pdf", {})
    archive.put(key, b"second", "application/pdf", {})

    assert [key] == archive.list_keys("2020/palopo-01/")
    assert b"second" == archive.get(key)
    assert True is archive.verify(key)


def test_verify_detects_a_tampered_overwrite(archive: ArchiveStore) -> None:
    """verify() is False when the bytes change but the recorded sha256 is copied over."""
    key = "2020/palopo-01/02-berita_acara-v1.pdf"
    archive.put(key, PDF, "application/pdf", {"kind": "berita_acara"})
    assert True is archive.verify(key)

    tampered_metadata = encode_metadata(archive.metadata(key))
    archive.client.put_object(
        Bucket=archive.bucket, Key=key, Body=PDF + b"forged", Metadata=tampered_metadata
    )

    assert False is archive.verify(key)


def test_missing_objects_raise_archive_missing(archive: ArchiveStore) -> None:
    """get(), metadata() and verify() of an absent key raise ArchiveMissing (a KeyError)."""
    for read in (archive.get, archive.metadata, archive.verify):
        with pytest.raises(ArchiveMissing) as caught:
            read("2020/none/01-x-v1.pdf")
        assert isinstance(caught.value, KeyError)
        assert f"no archived object s3://{archive.bucket}/2020/none/01-x-v1.pdf" == str(
            caught.value
        )


def test_json_round_trip_and_absent_json(archive: ArchiveStore) -> None:
    """put_json()/get_json() keep Indonesian text; a missing key reads as None."""
    manifest = {"replication_id": "palopo-01", "instansi": INSTANSI, "documents": [{"seq": 1}]}
    archive.put_json(manifest_key(2020, "palopo-01"), manifest)

    assert manifest == archive.get_json(manifest_key(2020, "palopo-01"))
    assert "application/json; charset=utf-8" == archive.client.head_object(
        Bucket=archive.bucket, Key=manifest_key(2020, "palopo-01")
    ).get("ContentType")
    assert None is archive.get_json(manifest_key(2020, "absent"))


def test_list_keys_follows_every_page(archive: ArchiveStore) -> None:
    """list_keys() returns all keys under a prefix in order, across pages of 2."""
    keys = [document_key(2020, "palopo-01", seq, "notula", 1, "pdf") for seq in range(1, 8)]
    for key in keys:
        archive.put(key, b"x", "application/pdf", {})
    archive.put("2020/palopo-02/01-notula-v1.pdf", b"x", "application/pdf", {})

    assert keys == archive.list_keys("2020/palopo-01/", page_size=2)


def test_find_replication_prefix_by_id_only(archive: ArchiveStore) -> None:
    """The year folder is found from the manifest, or from any document if none yet."""
    archive.put_json(manifest_key(2020, "palopo-01"), {})
    archive.put(document_key(2021, "makassar-02", 1, "surat", 1, "pdf"), b"x", "application/pdf")

    assert "2020/palopo-01/" == archive.find_replication_prefix("palopo-01")
    assert "2021/makassar-02/" == archive.find_replication_prefix("makassar-02")
    assert None is archive.find_replication_prefix("palopo-0")
    assert None is archive.find_replication_prefix("unknown")


def test_ensure_bucket_tolerates_a_concurrent_creator(
    s3_stack: S3Stack, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store that loses the create race (bucket appeared meanwhile) still succeeds."""
    first = ArchiveStore(make_s3_client(s3_stack.settings), s3_stack.settings.bucket + "-race")
    second = ArchiveStore(make_s3_client(s3_stack.settings), first.bucket)
    first.ensure_bucket()
    # The second store checked before the first created it: it now tries to create too.
    monkeypatch.setattr(second, "_bucket_exists", lambda: False)

    second.ensure_bucket()
    first.ensure_bucket()

    second.put("k", b"v", "text/plain")
    assert b"v" == first.get("k")
