"""The S3 archive: every document, its sha256 and its metadata, under a predictable key.

Layout (DESIGN.md): ``<year>/<replication id>/<nn>-<kind>-v<version>.<ext>`` plus
``<year>/<replication id>/manifest.json``. Keys are derived only from the replication id,
the document kind and its version, so a retried activity overwrites the same object with
the same bytes instead of creating a second one.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import logging
import string
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.handlers import add_expect_header

from app.settings import Settings

if TYPE_CHECKING:  # the stubs are a dev dependency only
    from mypy_boto3_s3 import S3Client

logger = logging.getLogger("replikasi.archive")

MANIFEST_NAME = "manifest.json"
SHA256_KEY = "sha256"

# S3 metadata travels as HTTP headers, so values must be printable ASCII. Everything
# printable except "%" passes through untouched (nomor surat like "000.8.3.3/15/OR/2020"
# stays readable in the console); "%" itself is encoded so that decoding with unquote()
# is exact for every value, including ASCII values that happen to contain "%41".
_METADATA_SAFE = "".join(c for c in string.punctuation if c != "%") + " "

# Codes different S3 servers use for "no such bucket/object" on HEAD and GET.
_MISSING_CODES = {"404", "NoSuchKey", "NoSuchBucket", "NotFound"}
# Codes a server returns for a versioning call it does not implement.
_UNSUPPORTED_CODES = {"NotImplemented", "501", "MethodNotAllowed", "405", "InvalidRequest"}


class ArchiveMissing(KeyError):
    """The archive has no object under this key (or the bucket itself is missing)."""

    def __init__(self, bucket: str, key: str) -> None:
        super().__init__(key)
        self.bucket = bucket
        self.key = key

    def __str__(self) -> str:
        # KeyError's own __str__ prints repr(key), which hides what was missing where.
        return f"no archived object s3://{self.bucket}/{self.key}"


@dataclass(frozen=True)
class StoredObject:
    """A small reference to an archived object: what workflow history keeps instead of bytes."""

    key: str
    sha256: str
    size: int


def make_s3_client(settings: Settings) -> S3Client:
    """A boto3 S3 client for the configured endpoint, tuned for S3-compatible servers."""
    config = Config(
        # boto3 >= 1.36 sends CRC checksums by default, which SeaweedFS/MinIO/Ceph reject
        # (boto/boto3#4392); only send them when an operation requires one.
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
        # "standard" retries SlowDown and 5xx with backoff; "legacy" (the default) does less.
        retries={"mode": "standard", "max_attempts": 10},
        # Path style works on every S3-compatible server without wildcard DNS.
        s3={"addressing_style": "path"},
    )
    # A private Session: boto3's default session is not thread-safe to create clients
    # from (boto/boto3#1592); the client itself is safe to share between threads.
    session = boto3.session.Session()
    client = session.client(
        "s3",
        endpoint_url=settings.s3_endpoint,
        aws_access_key_id=settings.s3_access_key,
        aws_secret_access_key=settings.s3_secret_key,
        region_name=settings.s3_region,
        config=config,
    )
    # botocore sends every PutObject body as a file, so with "Expect: 100-continue": one
    # more round trip per put, for bodies (a PDF, a JSON pointer) far too small to be worth
    # holding back. Without it a put costs ~0.5 ms less CPU, client and server (issue 7).
    client.meta.events.unregister("before-call.s3", add_expect_header)
    return client


def _check_segment(name: str, value: str) -> None:
    # A "/" would silently change the layout (an extra folder level); refuse it early.
    if not value or "/" in value:
        raise ValueError(f"{name} must be a non-empty string without '/': {value!r}")


def replication_prefix(year: int, replication_id: str) -> str:
    """The folder of one replication: ``"2020/palopo-01/"`` (trailing slash included)."""
    _check_segment("replication_id", replication_id)
    return f"{year:04d}/{replication_id}/"


def document_key(
    year: int, replication_id: str, seq: int, kind: str, version: int, ext: str
) -> str:
    """Key of one rendition: ``document_key(2020, "palopo-01", 3, "surat_undangan", 1, "pdf")``
    is ``"2020/palopo-01/03-surat_undangan-v1.pdf"``."""
    _check_segment("kind", kind)
    ext = ext.lstrip(".").lower()
    _check_segment("ext", ext)
    if not 0 <= seq <= 99:
        # Two digits keep a replication's documents sorted in creation order in any listing.
        raise ValueError(f"seq must be between 0 and 99: {seq}")
    if version < 1:
        raise ValueError(f"version starts at 1: {version}")
    return f"{replication_prefix(year, replication_id)}{seq:02d}-{kind}-v{version}.{ext}"


def manifest_key(year: int, replication_id: str) -> str:
    """Key of a replication's evidence manifest: ``"2020/palopo-01/manifest.json"``."""
    return replication_prefix(year, replication_id) + MANIFEST_NAME


def sha256_hex(body: bytes) -> str:
    """Lower-case hex SHA-256 of ``body``: the hash stored in metadata and in history."""
    return hashlib.sha256(body).hexdigest()


def encode_metadata(metadata: dict[str, str]) -> dict[str, str]:
    """Make metadata safe for S3 headers: lower-case ASCII keys, percent-encoded values."""
    encoded: dict[str, str] = {}
    for key, value in metadata.items():
        if not key.isascii() or not key.replace("-", "").replace("_", "").isalnum():
            raise ValueError(f"metadata key must be ASCII letters, digits, '-' or '_': {key!r}")
        # S3 lower-cases keys anyway; doing it here makes reads match writes exactly.
        encoded[key.lower()] = quote(str(value), safe=_METADATA_SAFE)
    return encoded


def decode_metadata(metadata: dict[str, str]) -> dict[str, str]:
    """Inverse of :func:`encode_metadata` for values read back from S3."""
    return {key.lower(): unquote(value) for key, value in metadata.items()}


LOCK_MODES = {"governance": "GOVERNANCE", "compliance": "COMPLIANCE"}


def retain_until(metadata: dict[str, str], now: dt.datetime) -> dt.datetime | None:
    """End of a document's JRA retention (its date + active + inactive years), or None.

    None for objects without retention fields (manifests) and for records whose retention
    has already run out: an old letter archived late is not locked past its JRA.
    """
    try:
        years = int(metadata["retensi-aktif-tahun"]) + int(metadata["retensi-inaktif-tahun"])
    except (KeyError, ValueError):
        return None
    try:
        base = dt.date.fromisoformat(metadata.get("tanggal", ""))
    except ValueError:
        base = now.date()
    # 29 Februari plus N years may not exist; the 28th keeps the year count exact.
    end = base.replace(
        year=base.year + years, day=min(base.day, 28) if base.month == 2 else base.day
    )
    until = dt.datetime.combine(end, dt.time(), tzinfo=dt.UTC)
    return until if until > now else None


def _error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def _is_missing(error: ClientError) -> bool:
    return _error_code(error) in _MISSING_CODES


class ArchiveStore:
    """Put, get, list and verify archived objects in one bucket."""

    def __init__(self, client: S3Client, bucket: str, object_lock: str = "governance") -> None:
        self.client = client
        self.bucket = bucket
        if object_lock not in {*LOCK_MODES, "off"}:
            raise ValueError(
                f"REPLIKASI_OBJECT_LOCK must be governance, compliance or off: {object_lock!r}"
            )
        self._lock_mode = LOCK_MODES.get(object_lock)
        # Known after ensure_bucket(): whether this bucket really has Object Lock.
        self.locking = False

    @classmethod
    def from_settings(cls, settings: Settings) -> ArchiveStore:
        """The store for the configured endpoint and bucket."""
        return cls(make_s3_client(settings), settings.bucket, settings.object_lock)

    # -- bucket -------------------------------------------------------------------------

    def ensure_bucket(self) -> None:
        """Create the bucket if it is missing and turn on versioning where supported."""
        if not self._bucket_exists():
            self._create_bucket()
        self._enable_versioning()
        self.locking = self._lock_mode is not None and self._lock_enabled()

    def _bucket_exists(self) -> bool:
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except ClientError as error:
            if _is_missing(error):
                return False
            raise
        return True

    def _create_bucket(self) -> None:
        options: dict[str, Any] = {"Bucket": self.bucket}
        region = self.client.meta.region_name
        if region and region != "us-east-1":
            # Outside us-east-1, AWS requires the location to match the client's region.
            options["CreateBucketConfiguration"] = {"LocationConstraint": region}
        try:
            try:
                # Object Lock can only be switched on when a bucket is created.
                self.client.create_bucket(
                    **options, ObjectLockEnabledForBucket=bool(self._lock_mode)
                )
            except ClientError as error:
                if not self._lock_mode or _error_code(error) not in _UNSUPPORTED_CODES:
                    raise
                self.client.create_bucket(**options)
        except ClientError as error:
            # Two workers starting together both see "missing"; the loser of the race
            # gets one of these codes, and the bucket exists either way.
            if _error_code(error) not in {"BucketAlreadyOwnedByYou", "BucketAlreadyExists"}:
                raise

    def _lock_enabled(self) -> bool:
        try:
            answer = self.client.get_object_lock_configuration(Bucket=self.bucket)
            enabled = answer["ObjectLockConfiguration"].get("ObjectLockEnabled") == "Enabled"
        except (ClientError, KeyError):
            enabled = False
        if not enabled:
            logger.warning(
                "bucket %s has no S3 Object Lock; documents are kept by versioning only",
                self.bucket,
            )
        return enabled

    def _enable_versioning(self) -> None:
        # Versioning keeps every overwritten rendition, so a tampered or mistaken
        # overwrite is still recoverable by an archivist. Not every backend has it.
        try:
            self.client.put_bucket_versioning(
                Bucket=self.bucket, VersioningConfiguration={"Status": "Enabled"}
            )
        except ClientError as error:
            if _error_code(error) not in _UNSUPPORTED_CODES:
                raise

    # -- objects ------------------------------------------------------------------------

    def put(
        self, key: str, body: bytes, content_type: str, metadata: dict[str, str] | None = None
    ) -> StoredObject:
        """Store ``body`` under ``key`` (overwriting: that is what makes retries idempotent)."""
        digest = sha256_hex(body)
        # The computed hash always wins over a caller's value: metadata["sha256"] is
        # what verify() and auditors trust, so it must describe these exact bytes.
        full = {**(metadata or {}), SHA256_KEY: digest}
        self.client.put_object(
            Bucket=self.bucket,
            Key=key,
            Body=body,
            ContentType=content_type,
            Metadata=encode_metadata(full),
            **self._lock_options(body, full),
        )
        return StoredObject(key=key, sha256=digest, size=len(body))

    def _lock_options(self, body: bytes, metadata: dict[str, str]) -> dict[str, Any]:
        until = retain_until(metadata, dt.datetime.now(dt.UTC)) if self.locking else None
        if until is None:
            return {}
        # A locked PUT must carry Content-MD5 (or a checksum), which boto3 no longer sends
        # by default to S3-compatible servers (getmoto/moto#8672).
        md5 = base64.b64encode(hashlib.md5(body).digest()).decode()
        return {
            "ContentMD5": md5,
            "ObjectLockMode": self._lock_mode,
            "ObjectLockRetainUntilDate": until,
        }

    def get(self, key: str) -> bytes:
        """The object's bytes; :class:`ArchiveMissing` if there is none."""
        body, _ = self.get_with_metadata(key)
        return body

    def get_with_metadata(self, key: str) -> tuple[bytes, dict[str, str]]:
        """Bytes and decoded metadata from one GET, so both describe the same version."""
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=key)
        except ClientError as error:
            if _is_missing(error):
                raise ArchiveMissing(self.bucket, key) from error
            raise
        return response["Body"].read(), decode_metadata(response.get("Metadata", {}))

    def metadata(self, key: str) -> dict[str, str]:
        """The object's decoded metadata (HEAD, no download); :class:`ArchiveMissing` if absent."""
        try:
            response = self.client.head_object(Bucket=self.bucket, Key=key)
        except ClientError as error:
            if _is_missing(error):
                raise ArchiveMissing(self.bucket, key) from error
            raise
        return decode_metadata(response.get("Metadata", {}))

    def exists(self, key: str) -> bool:
        """Whether an object is stored under ``key``."""
        try:
            self.metadata(key)
        except ArchiveMissing:
            return False
        return True

    def list_keys(self, prefix: str = "", page_size: int = 1000) -> list[str]:
        """Every key under ``prefix``, in S3's (lexicographic) order, across all pages."""
        paginator = self.client.get_paginator("list_objects_v2")
        pages = paginator.paginate(
            Bucket=self.bucket, Prefix=prefix, PaginationConfig={"PageSize": page_size}
        )
        return [item["Key"] for page in pages for item in page.get("Contents", [])]

    def put_json(self, key: str, obj: Any, metadata: dict[str, str] | None = None) -> StoredObject:
        """Store ``obj`` as UTF-8 JSON (readable Indonesian text, stable key order)."""
        body = json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")
        return self.put(key, body, "application/json; charset=utf-8", metadata)

    def get_json(self, key: str) -> Any | None:
        """The decoded JSON stored under ``key``, or None if there is no such object."""
        try:
            return json.loads(self.get(key))
        except ArchiveMissing:
            return None

    # -- lookup and audit ---------------------------------------------------------------

    def year_prefixes(self) -> list[str]:
        """Top-level folders (``"2020/"``, ...), newest year first."""
        paginator = self.client.get_paginator("list_objects_v2")
        prefixes = [
            common["Prefix"]
            for page in paginator.paginate(Bucket=self.bucket, Delimiter="/")
            for common in page.get("CommonPrefixes", [])
        ]
        return sorted(prefixes, reverse=True)

    def find_replication_prefix(self, replication_id: str) -> str | None:
        """``"2020/palopo-01/"`` for a replication known only by its id, or None.

        Scans the year folders for ``<year>/<id>/manifest.json`` first; a replication
        still in progress has no manifest yet, so any object under ``<year>/<id>/``
        counts too. One request per year: the archive has few years, many objects.
        """
        _check_segment("replication_id", replication_id)
        for year in self.year_prefixes():
            prefix = f"{year}{replication_id}/"
            if self.exists(prefix + MANIFEST_NAME):
                return prefix
            listed = self.client.list_objects_v2(Bucket=self.bucket, Prefix=prefix, MaxKeys=1)
            if listed.get("KeyCount", 0) > 0:
                return prefix
        return None

    def verify(self, key: str) -> bool:
        """Whether the stored bytes still hash to their recorded sha256.

        False when the bytes were changed behind our back (or the hash is missing);
        :class:`ArchiveMissing` when there is no object at all, which is a different
        finding for an auditor than an altered one.
        """
        body, metadata = self.get_with_metadata(key)
        recorded = metadata.get(SHA256_KEY)
        return recorded is not None and recorded == sha256_hex(body)
