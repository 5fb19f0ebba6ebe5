"""Documents never fetch what people type: no local files, no addresses on the network."""

from __future__ import annotations

import dataclasses
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from activities.contexts import build_context
from activities.pdf import TEMPLATES_DIR, TemplateAssetFetcher
from activities.rendering import render_document
from tests.doctext import docx_text, pdf_text
from tests.factories import sample_input
from workflows.models import DocumentKind

KINDS = [kind.value for kind in DocumentKind]
# Fields whose values are dates, codes or keys the workflow checked; the rest is free text.
STRUCTURED = re.compile(r"^(\d{4}-\d{2}(-\d{2})?|\d{1,2}[.:]\d{2}|[0-9a-f]{64})$")
KEEP = {
    "kind",
    "jenis",
    "zona",
    "pola_nomor",
    "decision",
    "sesi_id",
    "user",
    "approver",
    "peran",
    "state",
    "kode_klasifikasi",
    "kode_unit",
    "kode",
    "sebagai",
    "logo",
}


class CountingHandler(BaseHTTPRequestHandler):
    hits: list[str] = []  # noqa: RUF012 - shared on purpose: the server makes one per request

    def do_GET(self) -> None:
        CountingHandler.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"secret")

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def bait_server() -> Iterator[str]:
    """A local HTTP server that records every request a renderer makes to it."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), CountingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def poisoned(value: Any, payload: str, name: str = "") -> Any:
    """Every free-text field of a payload replaced by `payload`, dates and codes kept."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: poisoned(getattr(value, f.name), payload, f.name)
            for f in dataclasses.fields(value)
        }
        return dataclasses.replace(value, **changes)
    if isinstance(value, list):
        return [poisoned(item, payload, name) for item in value]
    if isinstance(value, str) and value and name not in KEEP and not STRUCTURED.match(value):
        return payload
    return value


def test_fetcher_serves_only_template_assets(bait_server: str) -> None:
    """file:///etc/passwd, traversal out of templates/ and http:// are all refused."""
    fetcher = TemplateAssetFetcher()
    font = (TEMPLATES_DIR / "fonts" / "LiberationSerif-Regular.ttf").as_uri()

    for url in [
        "file:///etc/passwd",
        f"{bait_server}/x",
        (TEMPLATES_DIR / ".." / "pyproject.toml").as_uri(),
    ]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert fetcher.fetch(font).read(4) == b"\x00\x01\x00\x00"


@pytest.mark.parametrize("kind", KINDS)
def test_urls_typed_into_every_field_are_printed_not_fetched(kind: str, bait_server: str) -> None:
    """Addresses in every text field end up as text; nothing is fetched or read from disk."""
    CountingHandler.hits.clear()
    payload = f'<img src="{bait_server}/img"> file:///etc/passwd <link href="{bait_server}/css">'
    inp = poisoned(sample_input(kind), payload)

    document = render_document(kind, build_context(inp))

    assert [] == CountingHandler.hits
    text = pdf_text(document.pdf) + docx_text(document.docx)
    assert "root:x:0:0" not in text
    assert "file:///etc/passwd" in text.replace("\n", "")
