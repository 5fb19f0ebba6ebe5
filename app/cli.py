"""`replikasi`: the coordinator's and approver's command line.

Thin: parse, call app.service (or the stack/demo modules), print. Errors are one line on
stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import sys
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app import service
from app.payloads import to_dict
from app.settings import get_settings
from app.yamlio import YamlError, load_yaml, load_yaml_text

Command = Callable[[argparse.Namespace], Coroutine[Any, Any, int]]


def _print_json(obj: Any) -> None:
    print(json.dumps(to_dict(obj), ensure_ascii=False, indent=2))


async def cmd_start(args: argparse.Namespace) -> int:
    from app.batch import load_file

    batch = load_file(Path(args.file))
    if batch is not None:
        return await _start_batch(batch, args.restart)
    replication = service.parse_replication(load_yaml(Path(args.file)))
    client = await service.connect()
    await service.start_replication(client, replication, restart=args.restart)
    print(replication.replication_id)
    return 0


async def _start_batch(batch: list[Any], restart: bool) -> int:
    """Start every replication of a batch not started before; says what already existed."""
    from app.progress import Progress

    if restart:
        raise service.InvalidInput("--restart hanya untuk satu replikasi, bukan batch.")
    client = await service.connect()
    progress = Progress(len(batch))
    outcome = await service.start_many(client, batch, on_done=progress)
    progress.close()
    print(
        f"Batch: {len(outcome.started)} dimulai, {len(outcome.existing)} sudah ada, "
        f"{len(outcome.failed)} gagal (dari {len(batch)})."
    )
    if outcome.existing:
        print(f"Sudah ada (tidak dimulai lagi): {', '.join(sorted(outcome.existing))}")
    for rid, reason in sorted(outcome.failed.items()):
        print(f"replikasi: {rid} gagal dimulai: {reason}", file=sys.stderr)
    return 1 if outcome.failed else 0


def _event_data(file: str | None) -> Any:
    if file is None:
        return {}
    if file == "-":
        return load_yaml_text(sys.stdin.read())
    return load_yaml(Path(file))


async def cmd_send(args: argparse.Namespace) -> int:
    data = _event_data(args.file)
    service.parse_event(args.event, data)  # refuse a bad file before connecting
    client = await service.connect()
    result = await service.send_event(client, args.id, args.event, data)
    _print_event_result(result)
    return 0


def _print_event_result(result: Any) -> None:
    print(f"{result.message} (tahap: {result.stage})")
    for key in result.documents:
        print(f"  diarsipkan: {key}")


async def cmd_decide(args: argparse.Namespace) -> int:
    client = await service.connect()
    result = await service.decide(
        client,
        args.id,
        args.user,
        args.decision,
        args.note or "",
        args.tanggal or "",
        atas_nama=args.untuk or "",
    )
    _print_event_result(result)
    return 0


async def cmd_tenggat(args: argparse.Namespace) -> int:
    """A coordinator moves one pending decision's deadline."""
    client = await service.connect()
    result = await service.move_deadline(
        client, args.id, args.untuk, args.sampai, args.oleh or "", args.alasan or ""
    )
    _print_event_result(result)
    return 0


async def cmd_status(args: argparse.Namespace) -> int:
    client = await service.connect()
    current = await service.status(client, args.id)
    if args.json:
        _print_json(current)
        return 0
    print(f"{current.replication_id}  {current.nama_lokal}")
    print(f"  tahap       : {current.stage} (versi rencana aksi {current.version})")
    if current.waiting_for:
        print(f"  menunggu    : {', '.join(current.waiting_for)}")
        print(f"  dari        : {'; '.join(current.waiting_on)}")
        print(f"  sejak       : {current.since}")
        print(f"  tenggat     : {current.due}{'  (TERLAMBAT)' if current.overdue else ''}")
    if current.pending:
        _print_chain(current)
    if current.signer:
        print(f"  disahkan    : oleh {current.signer}")
    print(f"  dokumen     : {len(current.documents)}; pengingat terkirim: {current.reminders}")
    return 0


def _print_chain(current: Any) -> None:
    """The group being asked and each pending decision with its own deadline."""
    print(
        f"  kelompok    : {current.group} dari {current.groups} ({current.group_kind}, "
        f"kuorum {current.kuorum}); disetujui: {', '.join(current.approved) or '-'}"
    )
    for p in current.pending:
        late = "  (TERLAMBAT)" if p.overdue else ""
        print(f"  - {p.user}: {p.nama} ({p.jabatan})")
        print(f"      tenggat {p.due}{late}; eskalasi ke {p.eskalasi_ke}")
        if p.delegasi:
            print(f"      delegasi: {', '.join(p.delegasi)}")


async def cmd_documents(args: argparse.Namespace) -> int:
    client = await service.connect()
    refs = await service.documents(client, args.id)
    if args.download:
        from app.download import download_documents

        for path in download_documents(refs, Path(args.download)):
            print(path)
        return 0
    if args.json:
        _print_json([to_dict(ref) for ref in refs])
        return 0
    for ref in refs:
        nomor = ref.nomor or "-"
        print(f"{ref.seq:02d}  {ref.kind:<26} v{ref.version}  {nomor:<28} {ref.pdf_key}")
        print(f"    sha256 {ref.pdf_sha256}")
    return 0


async def cmd_list(args: argparse.Namespace) -> int:
    chosen = service.ListFilter(
        stage=args.stage or "",
        wilayah=args.wilayah or "",
        inovasi=args.inovasi or "",
        menunggu=args.menunggu or "",
        terlambat=args.terlambat,
    )
    service.visibility_query(chosen, datetime.now(UTC))  # refuse a bad filter before connecting
    client = await service.connect()
    rows = await service.list_replications(client, chosen)
    if args.json:
        _print_json(rows)
        return 0
    _print_table(rows)
    return 0


LIST_COLUMNS = (
    ("id", "ID"),
    ("stage", "TAHAP"),
    ("menunggu", "MENUNGGU"),
    ("tenggat", "TENGGAT"),
    ("wilayah", "WILAYAH"),
    ("inovasi", "INOVASI"),
    ("status", "STATUS"),
)


def _print_table(rows: list[dict[str, str]]) -> None:
    cells = [[_cell(row, key) for key, _ in LIST_COLUMNS] for row in rows]
    header = [title for _, title in LIST_COLUMNS]
    widths = [max(len(c) for c in column) for column in zip(header, *cells, strict=False)]
    for line in [header, *cells]:
        print("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip())
    print(f"({len(rows)} replikasi)")


def _cell(row: dict[str, str], key: str) -> str:
    value = row.get(key) or "-"
    return value[:16].replace("T", " ") if key == "tenggat" and value != "-" else value


def _read_file(path: Path) -> bytes | None:
    """The file's bytes, or None after telling the user in one line why it can't be read."""
    try:
        return path.read_bytes()
    except OSError as exc:
        print(f"replikasi: berkas tidak dapat dibaca: {path} ({exc.strerror})", file=sys.stderr)
        return None


async def cmd_verify(args: argparse.Namespace) -> int:
    """ASLI (exit 0) when FILE is byte for byte an archived document; else exit 1."""
    # Lazy: only this command talks to S3, and app.service must never import boto3.
    from botocore.exceptions import BotoCoreError, ClientError

    from activities.archive import ArchiveStore
    from activities.verification import describe, verify_file

    path = Path(args.file)
    data = _read_file(path)
    if data is None:
        return 1
    settings = get_settings()
    try:
        archive = ArchiveStore.from_settings(settings)
        result = await asyncio.to_thread(verify_file, archive, data, _trust_anchor(settings))
    except (BotoCoreError, ClientError) as exc:
        print(
            f"replikasi: arsip S3 tidak dapat diperiksa di {settings.s3_endpoint} "
            f"(bucket {settings.bucket}): {exc}",
            file=sys.stderr,
        )
        return 1
    print(f"{result.status}: {path.name}")
    if result.record is not None:
        for label, value in describe(result.record):
            print(f"  {label.lower():<10}: {value}")
        key = result.record.get(f"{result.record.get('format')}_key")
        if result.authentic and key:
            print(f"  {'arsip':<10}: s3://{archive.bucket}/{key}")
    print(f"  {'sha256':<10}: {result.sha256}")
    print(f"  {result.reason}")
    return 0 if result.authentic else 1


def _archive_unreadable(settings: Any, exc: Exception) -> service.ServiceError:
    return service.ServiceError(
        f"arsip S3 tidak dapat dibaca di {settings.s3_endpoint} (bucket {settings.bucket}): {exc}"
    )


def _trust_anchor(settings: Any) -> bytes | None:
    """The CA certificate signatures must chain to; None when there is no PKI here."""
    path = settings.pki_dir / "ca.pem"
    return path.read_bytes() if path.is_file() else None


async def cmd_pki(args: argparse.Namespace) -> int:
    """`pki init`: the development CA and one certificate per signer; idempotent."""
    from app import pki

    directory = Path(args.dir) if args.dir else get_settings().pki_dir
    try:
        made = pki.init(directory, [Path(f) for f in args.files])
    except (OSError, ValueError) as exc:
        raise service.ServiceError(f"PKI tidak dapat dibuat di {directory}: {exc}") from exc
    for line in made:
        print(line)
    keadaan = "lengkap" if made else "sudah lengkap, tidak ada yang dibuat"
    print(f"PKI pengembangan di {directory}: {keadaan}.")
    print("  (sertifikat uji, bukan BSrE/BSSN: tanda tangannya tidak berkekuatan hukum)")
    return 0


async def cmd_export(args: argparse.Namespace) -> int:
    """One hand-over ZIP: documents, manifest, decisions and history, SHA256SUMS."""
    from activities.archive import ArchiveStore
    from app.export import ExportError, export_replication

    settings = get_settings()
    archive = ArchiveStore.from_settings(settings)
    try:
        client = await service.connect(settings)
    except service.Unavailable:
        client = None  # documents come from S3; only the history summary is left out
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        data = await export_replication(archive, args.id, client)
    except ExportError as exc:
        raise service.ServiceError(str(exc)) from exc
    except (BotoCoreError, ClientError) as exc:
        raise _archive_unreadable(settings, exc) from exc
    out = Path(args.out or f"{args.id}.zip")
    out.write_bytes(data)
    print(out)
    return 0


async def cmd_coba_lagi(args: argparse.Namespace) -> int:
    """Retry now a document that waits for a template fix (else the workflow's timer does)."""
    client = await service.connect()
    print(await service.retry_documents(client, args.id))
    return 0


async def cmd_verify_export(args: argparse.Namespace) -> int:
    """UTUH (exit 0) when every file matches SHA256SUMS and the manifest; else exit 1."""
    from app.export import verify_zip

    data = _read_file(Path(args.file))
    if data is None:
        return 1
    report = verify_zip(data)
    for line in report.lines():
        print(line)
    return 0 if report.ok else 1


async def cmd_forum(args: argparse.Namespace) -> int:
    """`replikasi forum start|send|status`: a Forum Replikasi and its events."""
    if args.forum_command == "start":
        forum = service.load_forum(Path(args.file))
        client = await service.connect()
        await service.start_forum(client, forum, restart=args.restart)
        print(forum.forum_id)
        return 0
    if args.forum_command == "send":
        data = _event_data(args.file)
        service.parse_forum_event(args.event, data)  # refuse a bad file before connecting
        client = await service.connect()
        _print_event_result(await service.send_forum_event(client, args.id, args.event, data))
        return 0
    client = await service.connect()
    current = await service.forum_status(client, args.id)
    if args.json:
        _print_json(current)
        return 0
    print(f"{current.forum_id}  {current.acara}")
    print(f"  tahap       : {current.stage}")
    if current.waiting_for:
        print(f"  menunggu    : {', '.join(current.waiting_for)} (sejak {current.since})")
    print(f"  hadir       : {current.hadir} orang; dokumen: {len(current.documents)}")
    for ref in current.documents:
        print(f"  {ref.seq:02d}  {ref.kind:<22} {ref.nomor or '-':<26} {ref.pdf_key}")
    for child in current.replikasi:
        print(f"  replikasi   : {child.removeprefix('replikasi-')}")
    return 0


async def cmd_api_token(args: argparse.Namespace) -> int:
    """A new API token for an integration: its hash goes to the file, the token to stdout."""
    from app.apitokens import TokenFileError, create_token

    path = Path(args.file) if args.file else get_settings().api_tokens_file
    if path is None:
        raise service.InvalidInput(
            "Berkas token belum ditentukan: isi REPLIKASI_API_TOKENS_FILE atau pakai --file."
        )
    try:
        token = create_token(path, args.name)
    except TokenFileError as exc:
        raise service.InvalidInput(str(exc)) from exc
    print(token)
    print(f"replikasi: token '{args.name}' disimpan (sha256) di {path}", file=sys.stderr)
    return 0


async def cmd_report(args: argparse.Namespace) -> int:
    """The recap per region and stage as PDF and XLSX, in --out (default: the current dir)."""
    from botocore.exceptions import BotoCoreError, ClientError

    from activities.archive import ArchiveStore
    from app.rekap.report import write_report

    chosen = service.ListFilter(wilayah=args.wilayah or "")
    service.visibility_query(chosen, datetime.now(UTC))  # refuse a bad filter before connecting
    settings = get_settings()
    client = await service.connect(settings)
    try:
        paths = await write_report(
            client, ArchiveStore.from_settings(settings), Path(args.out), chosen
        )
    except (BotoCoreError, ClientError) as exc:
        raise _archive_unreadable(settings, exc) from exc
    for path in paths:
        print(path)
    return 0


async def cmd_akun(args: argparse.Namespace) -> int:
    """`replikasi akun hash`: the `sandi:` line of an account in REPLIKASI_ACCOUNTS_FILE."""
    from app.accounts import hash_password

    if sys.stdin.isatty():
        import getpass

        password = getpass.getpass("Kata sandi: ")
        if getpass.getpass("Ulangi kata sandi: ") != password:
            raise service.InvalidInput("kedua kata sandi tidak sama.")
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if len(password) < 8:
        raise service.InvalidInput("kata sandi paling sedikit 8 karakter.")
    print(hash_password(password))
    return 0


async def cmd_worker(args: argparse.Namespace) -> int:
    from app.runner import run_worker_until_stopped

    await run_worker_until_stopped(get_settings(), role=args.role)
    return 0


async def cmd_setup(args: argparse.Namespace) -> int:
    """Once per deployment (idempotent): search attributes in the namespace, the bucket."""
    from botocore.exceptions import BotoCoreError, ClientError

    from activities.archive import ArchiveStore

    settings = get_settings()
    client = await service.connect(settings)
    added = await service.register_search_attributes(client)
    names = ", ".join(key.name for key in service.SEARCH_ATTRIBUTES)
    state = "didaftarkan" if added else "sudah terdaftar"
    print(f"search attribute {names}: {state} (namespace {settings.temporal_namespace})")
    try:
        await asyncio.to_thread(ArchiveStore.from_settings(settings).ensure_bucket)
    except (BotoCoreError, ClientError) as exc:
        raise service.Unavailable(
            f"bucket {settings.bucket} tidak dapat disiapkan di {settings.s3_endpoint}: {exc}"
        ) from exc
    print(f"bucket {settings.bucket}: siap di {settings.s3_endpoint}")
    return 0


async def cmd_web(args: argparse.Namespace) -> int:
    from app.runner import run_web_until_stopped

    await run_web_until_stopped(get_settings())
    return 0


async def cmd_dev(args: argparse.Namespace) -> int:
    from app.runner import run_dev

    await run_dev(get_settings())
    return 0


async def cmd_demo(args: argparse.Namespace) -> int:
    from app.demo import run_demo

    return await run_demo(get_settings(), Path(args.scenario))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="replikasi", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("dev", help="jalankan Temporal, S3, worker dan web lokal")
    demo = commands.add_parser("demo", help="jalankan skenario Forum Palopo 2020")
    demo.add_argument("--scenario", default=str(default_scenario_dir()))
    worker = commands.add_parser("worker", help="jalankan satu worker")
    worker.add_argument(
        "--role",
        choices=["all", "workflows", "render"],
        default="all",
        help="all (bawaan), workflows (tanpa render), render (REPLIKASI_RENDER_TASK_QUEUE)",
    )
    commands.add_parser("setup", help="daftarkan search attribute dan siapkan bucket (sekali)")
    commands.add_parser("web", help="jalankan aplikasi web")
    start = commands.add_parser("start", help="mulai replikasi dari YAML, atau batch CSV/YAML")
    start.add_argument("file")
    start.add_argument("--restart", action="store_true", help="ganti replikasi dengan ID sama")
    send = commands.add_parser("send", help="kirim peristiwa koordinator")
    send.add_argument("id")
    send.add_argument("event", choices=sorted(service.EVENTS))
    send.add_argument("--file", help="berkas YAML data peristiwa ('-' = stdin)")
    decide = commands.add_parser("decide", help="keputusan pejabat penyetuju")
    decide.add_argument("id")
    decide.add_argument("--as", dest="user", required=True)
    decide.add_argument("decision", choices=["approve", "revise", "reject"])
    decide.add_argument("--note")
    decide.add_argument("--tanggal", help="tanggal keputusan TTTT-BB-HH (bawaan: hari ini)")
    decide.add_argument("--untuk", help="user pejabat yang diwakili (delegasi dari dua pejabat)")
    tenggat = commands.add_parser("tenggat", help="pindahkan tenggat keputusan seorang pejabat")
    tenggat.add_argument("id")
    tenggat.add_argument("--untuk", required=True, metavar="USER", help="pejabat yang ditunggu")
    tenggat.add_argument(
        "--sampai", required=True, metavar="ISO", help="2020-12-10 atau 2020-12-10T16:00"
    )
    tenggat.add_argument("--oleh", help="nama koordinator")
    tenggat.add_argument("--alasan")
    for name, help_text in (("status", "tahap dan yang ditunggu"), ("documents", "dokumen")):
        sub = commands.add_parser(name, help=help_text)
        sub.add_argument("id")
        sub.add_argument("--json", action="store_true")
        if name == "documents":
            sub.add_argument("--download", metavar="DIR")
    verify = commands.add_parser("verify", help="periksa keaslian berkas PDF/DOCX di arsip")
    verify.add_argument("file")
    pki = commands.add_parser("pki", help="PKI pengembangan: CA dan sertifikat penandatangan")
    pki_commands = pki.add_subparsers(dest="pki_command", required=True)
    pki_init = pki_commands.add_parser("init", help="buat CA dan sertifikat yang belum ada")
    pki_init.add_argument("--dir", help="bawaan: REPLIKASI_PKI_DIR atau <data>/pki")
    pki_init.add_argument("files", nargs="*", help="YAML replikasi (bawaan: examples/palopo-2020)")
    retry = commands.add_parser("coba-lagi", help="coba lagi dokumen setelah template diperbaiki")
    retry.add_argument("id")
    export = commands.add_parser("export", help="ZIP serah-terima: dokumen, manifest, riwayat")
    export.add_argument("id")
    export.add_argument("--out", metavar="FILE", help="bawaan: <ID>.zip")
    for name in ("verify-export", "import"):
        checking = commands.add_parser(name, help="periksa ZIP serah-terima (sha256)")
        checking.add_argument("file")
        # `import` only checks for now: the archive it came from keeps the originals.
        checking.add_argument("--verify", action="store_true", help="periksa saja (bawaan)")
    forum = commands.add_parser("forum", help="forum replikasi: undangan, kehadiran, laporan")
    forum_commands = forum.add_subparsers(dest="forum_command", required=True)
    forum_start = forum_commands.add_parser("start", help="mulai forum dari berkas YAML")
    forum_start.add_argument("file")
    forum_start.add_argument("--restart", action="store_true", help="ganti forum dengan ID sama")
    forum_send = forum_commands.add_parser("send", help="kirim peristiwa forum")
    forum_send.add_argument("id")
    forum_send.add_argument("event", choices=sorted(service.FORUM_EVENTS))
    forum_send.add_argument("--file", help="berkas YAML data peristiwa ('-' = stdin)")
    forum_status = forum_commands.add_parser("status", help="tahap forum dan dokumennya")
    forum_status.add_argument("id")
    forum_status.add_argument("--json", action="store_true")
    report = commands.add_parser("report", help="rekap per wilayah dan tahap (PDF, XLSX)")
    report.add_argument("--out", default=".", metavar="DIR", help="folder hasil (bawaan: .)")
    report.add_argument("--wilayah", help="hanya satu kode wilayah, misalnya 73.73")
    token = commands.add_parser("api-token", help="buat token API untuk satu integrasi")
    token.add_argument("name", help="nama integrasi, misalnya srikandi-sulsel")
    token.add_argument("--file", help="berkas token (bawaan: REPLIKASI_API_TOKENS_FILE)")
    akun = commands.add_parser("akun", help="akun aplikasi web")
    akun_commands = akun.add_subparsers(dest="akun_command", required=True)
    akun_commands.add_parser("hash", help="hash kata sandi (dibaca dari terminal atau stdin)")
    listing = commands.add_parser("list", help="daftar replikasi")
    listing.add_argument("--stage", help="tahap, misalnya pengesahan")
    listing.add_argument("--wilayah", help="kode wilayah Kemendagri replikator, misalnya 73.73")
    listing.add_argument("--inovasi", help="ID inovasi asal di katalog")
    listing.add_argument("--menunggu", metavar="PERAN", help="inovator, koordinator, penyetuju")
    listing.add_argument("--terlambat", action="store_true", help="hanya yang lewat tenggat")
    listing.add_argument("--json", action="store_true")
    return parser


def default_scenario_dir() -> Path:
    return Path(__file__).resolve().parents[1] / "examples" / "palopo-2020"


COMMANDS: dict[str, Command] = {
    "dev": cmd_dev,
    "demo": cmd_demo,
    "worker": cmd_worker,
    "setup": cmd_setup,
    "web": cmd_web,
    "start": cmd_start,
    "send": cmd_send,
    "decide": cmd_decide,
    "tenggat": cmd_tenggat,
    "status": cmd_status,
    "documents": cmd_documents,
    "list": cmd_list,
    "forum": cmd_forum,
    "akun": cmd_akun,
    "verify": cmd_verify,
    "pki": cmd_pki,
    "export": cmd_export,
    "coba-lagi": cmd_coba_lagi,
    "verify-export": cmd_verify_export,
    "import": cmd_verify_export,
    "api-token": cmd_api_token,
    "report": cmd_report,
}


def run(argv: list[str] | None = None) -> int:
    """Run one command; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return asyncio.run(COMMANDS[args.command](args))
    except (service.ServiceError, YamlError) as exc:
        print(f"replikasi: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `replikasi list | head`: the reader left; not an error worth a traceback.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - replaces a closed stdout
        return 0
    except Exception as exc:  # the promise: one line, never a traceback
        if os.environ.get("REPLIKASI_DEBUG"):
            raise
        print(f"replikasi: galat tak terduga ({type(exc).__name__}): {exc}", file=sys.stderr)
        print("replikasi: ulangi dengan REPLIKASI_DEBUG=1 untuk rinciannya.", file=sys.stderr)
        return 2


def main() -> None:
    code = run()
    # temporalio/sdk-python#300: a process that held a Temporal client may abort at
    # interpreter shutdown (exit 134) after its work succeeded. Release the client's
    # objects now and leave with the real exit code before finalisation begins.
    gc.collect()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
