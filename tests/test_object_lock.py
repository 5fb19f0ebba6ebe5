"""S3 Object Lock on archived documents until the end of their JRA retention (real SeaweedFS)."""

from __future__ import annotations

import datetime as dt

import pytest
from botocore.exceptions import ClientError

from activities.archive import ArchiveStore, make_s3_client, retain_until
from tests.fixtures.servers import S3Stack, unique_bucket

NOW = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
DECISION = {"retensi-aktif-tahun": "5", "retensi-inaktif-tahun": "10", "tanggal": "2020-12-03"}


def locked_store(s3_stack: S3Stack, mode: str = "governance") -> ArchiveStore:
    store = ArchiveStore(make_s3_client(s3_stack.settings), unique_bucket("lock"), mode)
    store.ensure_bucket()
    return store


def test_retention_ends_after_active_plus_inactive_years_from_the_document_date() -> None:
    """A 2020 decision kept 5 + 10 years is locked until 3 Desember 2035."""
    assert dt.datetime(2035, 12, 3, tzinfo=dt.UTC) == retain_until(DECISION, NOW)


def test_no_lock_without_retention_fields_or_after_the_retention_ran_out() -> None:
    """Manifests carry no retention; a 2020 letter kept 2 + 3 years is past it in 2026."""
    letter = {"retensi-aktif-tahun": "2", "retensi-inaktif-tahun": "3", "tanggal": "2020-10-05"}

    assert (None, None) == (retain_until({}, NOW), retain_until(letter, NOW))


def test_a_leap_day_document_keeps_its_year_count() -> None:
    """29 Februari 2024 + 15 years ends on 28 Februari 2039 (there is no 29th)."""
    leap = {**DECISION, "tanggal": "2024-02-29"}

    assert dt.datetime(2039, 2, 28, tzinfo=dt.UTC) == retain_until(leap, NOW)


def test_a_document_is_locked_and_its_version_cannot_be_deleted(s3_stack: S3Stack) -> None:
    """The archived version carries GOVERNANCE retention; deleting it is refused."""
    store = locked_store(s3_stack)
    store.put("2020/r/14-lembar_pengesahan-v2.pdf", b"%PDF-1.7 ttd", "application/pdf", DECISION)
    head = store.client.head_object(Bucket=store.bucket, Key="2020/r/14-lembar_pengesahan-v2.pdf")

    with pytest.raises(ClientError) as refused:
        store.client.delete_object(
            Bucket=store.bucket,
            Key="2020/r/14-lembar_pengesahan-v2.pdf",
            VersionId=head["VersionId"],
        )

    assert store.locking
    assert ("GOVERNANCE", dt.datetime(2035, 12, 3, tzinfo=dt.UTC)) == (
        head["ObjectLockMode"],
        head["ObjectLockRetainUntilDate"],
    )
    assert "AccessDenied" == refused.value.response["Error"]["Code"]


def test_a_retried_put_adds_a_version_and_keeps_the_locked_one(s3_stack: S3Stack) -> None:
    """A retry re-puts the same key: the latest is read, the first stays locked beside it."""
    store = locked_store(s3_stack)
    key = "2020/r/10-sk_tim-v1.pdf"
    store.put(key, b"%PDF-1.7 first", "application/pdf", DECISION)
    store.put(key, b"%PDF-1.7 retry", "application/pdf", DECISION)

    versions = store.client.list_object_versions(Bucket=store.bucket, Prefix=key)["Versions"]

    assert b"%PDF-1.7 retry" == store.get(key)
    assert 2 == len(versions)


def test_off_makes_a_plain_versioned_bucket(s3_stack: S3Stack) -> None:
    """With REPLIKASI_OBJECT_LOCK=off nothing is locked and objects can be deleted."""
    store = locked_store(s3_stack, "off")
    store.put("2020/r/01-surat_permohonan-v1.pdf", b"%PDF", "application/pdf", DECISION)

    store.client.delete_object(Bucket=store.bucket, Key="2020/r/01-surat_permohonan-v1.pdf")

    assert (False, False) == (store.locking, store.exists("2020/r/01-surat_permohonan-v1.pdf"))


def test_an_unknown_lock_mode_is_refused_with_the_variable_named() -> None:
    """A typo in REPLIKASI_OBJECT_LOCK fails at start, not silently unlocked."""
    with pytest.raises(ValueError, match="REPLIKASI_OBJECT_LOCK"):
        ArchiveStore(None, "b", "governence")  # type: ignore[arg-type]
