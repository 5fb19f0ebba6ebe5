"""The durable contract: payloads, stages, document kinds and activity settings.

Every workflow, activity, update and query takes one dataclass and returns one, so fields
can be added later with defaults without breaking histories already in flight. Dates and
times travel as ISO strings ("2020-10-13", "09:00"): the default data converter has no
`date` type, and strings keep histories readable for auditors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum

from temporalio.common import RetryPolicy, SearchAttributeKey

STAGE_KEY = SearchAttributeKey.for_keyword("ReplicationStage")
# What a coordinator filters by (`replikasi list`), upserted by workflows/search.py. Search
# attributes are stored unencrypted in visibility: codes and roles only, never a person.
REGION_KEY = SearchAttributeKey.for_keyword("ReplicationWilayah")
INNOVATION_KEY = SearchAttributeKey.for_keyword("ReplicationInovasi")
PENDING_ROLE_KEY = SearchAttributeKey.for_keyword("ReplicationMenunggu")
DUE_KEY = SearchAttributeKey.for_datetime("ReplicationTenggat")
SEARCH_KEYS = (STAGE_KEY, REGION_KEY, INNOVATION_KEY, PENDING_ROLE_KEY, DUE_KEY)


class Stage(StrEnum):
    SELEKSI = "seleksi"
    TRANSFER = "transfer_pengetahuan"
    RENCANA_AKSI = "rencana_aksi"
    PENGESAHAN = "pengesahan"
    SELESAI = "selesai"
    DITOLAK = "ditolak"
    DIBATALKAN = "dibatalkan"


FINAL_STAGES = frozenset({Stage.SELESAI, Stage.DITOLAK, Stage.DIBATALKAN})


class DocumentKind(StrEnum):
    SURAT_PERMOHONAN = "surat_permohonan"
    SURAT_KESEDIAAN = "surat_kesediaan"
    BERITA_ACARA_KESEPAKATAN = "berita_acara_kesepakatan"
    SURAT_PENUTUPAN = "surat_penutupan"
    SURAT_UNDANGAN = "surat_undangan"
    SURAT_TUGAS = "surat_tugas"
    DAFTAR_HADIR = "daftar_hadir"
    NOTULA = "notula"
    BERITA_ACARA_TRANSFER = "berita_acara_transfer"
    LAPORAN_TRANSFER = "laporan_transfer"
    SK_TIM = "sk_tim"
    RENCANA_AKSI = "rencana_aksi"
    LEMBAR_PENGESAHAN = "lembar_pengesahan"
    RENCANA_AKSI_FINAL = "rencana_aksi_final"
    REKAM_JEJAK = "rekam_jejak"
    SURAT_PEMBATALAN = "surat_pembatalan"
    LAPORAN_FORUM = "laporan_forum"


# Kinds registered with a nomor surat (Permendagri 1/2023: korespondensi and khusus
# naskah carry a number; daftar hadir, notula, drafts and records do not).
NUMBERED_KINDS = frozenset(
    {
        DocumentKind.SURAT_PERMOHONAN,
        DocumentKind.BERITA_ACARA_KESEPAKATAN,
        DocumentKind.SURAT_PENUTUPAN,
        DocumentKind.SURAT_UNDANGAN,
        DocumentKind.SURAT_TUGAS,
        DocumentKind.BERITA_ACARA_TRANSFER,
        DocumentKind.SK_TIM,
        DocumentKind.RENCANA_AKSI_FINAL,
        DocumentKind.SURAT_PEMBATALAN,
    }
)


# Kinds carrying a PAdES signature (TTE) of their signer (issue 4): the decisions that bind
# the agency. Other kinds are signed on paper or are drafts and records.
SIGNED_KINDS = frozenset(
    {DocumentKind.SK_TIM, DocumentKind.LEMBAR_PENGESAHAN, DocumentKind.RENCANA_AKSI_FINAL}
)


class SessionType(StrEnum):
    FORUM = "forum"
    STUDI_TIRU = "studi_tiru"
    MAGANG = "magang"
    COACHING = "coaching"


# Sessions where officials travel to the inovator need a Surat Tugas.
TRAVEL_SESSIONS = frozenset({SessionType.STUDI_TIRU, SessionType.MAGANG})


class Decision(StrEnum):
    APPROVE = "approve"
    REVISE = "revise"
    REJECT = "reject"


class GroupKind(StrEnum):
    """The three kinds of step of a sign-off chain, in the order they must come."""

    PARAF = "paraf"  # initials of up to three officials (domain.md §3.4, paraf hierarki)
    PERSETUJUAN = "persetujuan"
    PENANDATANGAN = "penandatangan"


# What the lembar pengesahan prints above each kind's blocks (domain.md §2.4 row 8).
GROUP_ROLES: dict[str, str] = {
    GroupKind.PARAF: "Diperiksa oleh",
    GroupKind.PERSETUJUAN: "Disetujui oleh",
    GroupKind.PENANDATANGAN: "Disahkan oleh",
}

# Delegations an official may sign under (Permendagri 1/2023; domain.md §3.4). Pj. is an
# appointment of a head of region, not a delegation between officials.
DELEGATION_KINDS = ("a.n.", "u.b.", "Plt.", "Plh.")

# Document kinds whose sign-off follows a chain; today only the action plan goes through
# pengesahan (its lembar pengesahan and final version are the signed documents).
CHAIN_KINDS = ("rencana_aksi",)


# --- people and agencies ---------------------------------------------------------------


@dataclass
class Pejabat:
    """An official as a signature block prints them (Permendagri 1/2023 Pasal 44)."""

    nama: str = ""
    jabatan: str = ""
    nip: str = ""
    pangkat: str = ""
    instansi: str = ""
    # a.n., u.b., Plt., Plh. or Pj. when acting for someone; atas_nama is whom for.
    sebagai: str = ""
    atas_nama: str = ""


@dataclass
class Instansi:
    """An agency: kop surat, place of letters, time zone, numbering and sign-off chains."""

    kode: str = ""
    nama: str = ""
    pemerintah: str = ""
    alamat: str = ""
    kota: str = ""
    telepon: str = ""
    laman: str = ""
    email: str = ""
    zona: str = "WITA"
    kode_unit: str = ""
    kode_klasifikasi: str = "000.8.3.3"
    pola_nomor: str = "{klasifikasi}/{urut}/{unit}/{tahun}"
    kepala: Pejabat = field(default_factory=Pejabat)
    # Kop logo: a file name under templates/logos/ ("palopo.svg"; the DOCX uses the .png
    # of the same name); empty = a kop of centred text only.
    logo: str = ""
    # Kemendagri region code (Permendagri 72/2019 kode wilayah), e.g. "73.73" Kota Palopo.
    kode_wilayah: str = ""
    # The agency's own sign-off chains per document kind ("rencana_aksi"): used by its
    # replications that name neither `rantai` nor `approvers`.
    rantai: dict[str, list[ApprovalGroup]] = field(default_factory=dict)


class StatusInovasi(StrEnum):
    """Whether an innovation still runs (JIPPNas data refresh, domain.md §4)."""

    BERLANJUT = "berlanjut"
    BERKEMBANG = "berkembang"
    BERHENTI = "berhenti"


@dataclass
class Inovasi:
    """The source innovation being replicated (domain.md §4): a catalogue entry."""

    nama: str = ""
    instansi: str = ""
    tahun: int = 0
    penghargaan: str = ""
    kategori: str = ""
    ringkasan: str = ""
    # The catalogue id ("anc-hipnoterapi-lutra"); empty when given inline.
    kode: str = ""
    inovator: str = ""
    hasil: str = ""
    status: str = ""


@dataclass
class Approver:
    """One official of the sign-off chain: who decides, in what role."""

    user: str = ""
    peran: str = "Disetujui oleh"
    pejabat: Pejabat = field(default_factory=Pejabat)
    # Whom an overdue decision is escalated to (a user id); empty = the coordinator.
    atasan: str = ""


@dataclass
class ApprovalGroup:
    """One step of a chain: its members decide in parallel until `kuorum` have approved."""

    jenis: str = GroupKind.PERSETUJUAN
    anggota: list[Approver] = field(default_factory=list)
    # Approvals needed to move on; 0 = every member.
    kuorum: int = 0
    # Label on the lembar pengesahan; empty = GROUP_ROLES[jenis].
    peran: str = ""


@dataclass
class Delegation:
    """A holder's authority exercised by a delegate (a.n., u.b., Plt., Plh.) for a time."""

    pemegang: str = ""
    delegasi: str = ""
    jenis: str = "Plh."
    # The delegate as printed: own name, NIP, pangkat; own jabatan for a.n./u.b. (for
    # Plt./Plh. the block prints the holder's jabatan behind the prefix).
    pejabat: Pejabat = field(default_factory=Pejabat)
    # Inclusive dates (TTTT-BB-HH) of the window, compared with the decision's date.
    dari: str = ""
    sampai: str = ""


@dataclass
class Timing:
    """How long people get before reminders and escalation; inputs so tests shrink them."""

    reminder_seconds: float = 3 * 24 * 3600
    deadline_seconds: float = 14 * 24 * 3600


@dataclass
class ReplicationInput:
    replication_id: str = ""
    nama_lokal: str = ""
    inovasi: Inovasi = field(default_factory=Inovasi)
    inovator: Instansi = field(default_factory=Instansi)
    replikator: Instansi = field(default_factory=Instansi)
    koordinator: Instansi = field(default_factory=Instansi)
    latar_belakang: str = ""
    modifikasi: str = ""
    # The flat, sequential chain of the first version: each approver a one-member group.
    approvers: list[Approver] = field(default_factory=list)
    timing: Timing = field(default_factory=Timing)
    # Date of the Surat Permohonan; empty = today in the replikator's zone.
    tanggal: str = ""
    # Year of the archive folder; 0 = year of `tanggal`.
    tahun: int = 0
    # Set when a ForumWorkflow starts this replication: the forum, held and recorded, is its
    # first knowledge-transfer session (the forum archived its documents).
    sesi_forum: SessionRecord | None = None
    # The task queue of render workers (REPLIKASI_RENDER_TASK_QUEUE, set by app/service.py at
    # start); "" = produce_document runs on the workflow's own queue, as before.
    render_task_queue: str = ""
    # Sign-off chains per document kind; before `approvers` and the replikator's own.
    rantai: dict[str, list[ApprovalGroup]] = field(default_factory=dict)
    delegasi: list[Delegation] = field(default_factory=list)


# --- coordinator events (updates) ------------------------------------------------------


@dataclass
class Peserta:
    nama: str = ""
    jabatan: str = ""
    instansi: str = ""
    nip: str = ""


@dataclass
class InnovatorConsentInput:
    """The inovator agrees to be replicated (surat kesediaan received)."""

    tanggal: str = ""
    tempat: str = ""
    penandatangan: Pejabat = field(default_factory=Pejabat)
    nomor_surat_kesediaan: str = ""
    catatan: str = ""


@dataclass
class InnovatorDeclineInput:
    tanggal: str = ""
    alasan: str = ""


@dataclass
class ScheduleSessionInput:
    """A knowledge-transfer session: forum, studi tiru, magang or coaching."""

    sesi_id: str = ""
    jenis: str = SessionType.FORUM
    acara: str = ""
    tanggal: str = ""
    tanggal_selesai: str = ""
    mulai: str = ""
    selesai: str = ""
    tempat: str = ""
    platform: str = ""
    tautan: str = ""
    meeting_id: str = ""
    kode_akses: str = ""
    narasumber: list[Peserta] = field(default_factory=list)
    undangan: list[Peserta] = field(default_factory=list)
    # Officials sent on assignment (studi tiru, magang): they get a Surat Tugas.
    petugas: list[Pejabat] = field(default_factory=list)
    tujuan_tugas: str = ""
    sumber_dana: str = ""
    tanggal_surat: str = ""


@dataclass
class RecordSessionInput:
    """What happened at a session: attendance, notes, agreements."""

    sesi_id: str = ""
    hadir: list[Peserta] = field(default_factory=list)
    pimpinan: Pejabat = field(default_factory=Pejabat)
    pencatat: Pejabat = field(default_factory=Pejabat)
    pembahasan: list[str] = field(default_factory=list)
    kesepakatan: list[str] = field(default_factory=list)
    selesai_pukul: str = ""


@dataclass
class CompleteTransferInput:
    tanggal: str = ""
    hasil: list[str] = field(default_factory=list)
    simpulan: str = ""
    saran: list[str] = field(default_factory=list)


@dataclass
class AnggotaTim:
    peran: str = ""
    pejabat: Pejabat = field(default_factory=Pejabat)


@dataclass
class FormTeamInput:
    tanggal: str = ""
    anggota: list[AnggotaTim] = field(default_factory=list)
    tugas: list[str] = field(default_factory=list)


@dataclass
class Kegiatan:
    """One row of the action plan matrix (domain.md §3.3, rencana aksi replikasi)."""

    tahapan: str = ""
    output: str = ""
    indikator: str = ""
    mulai: str = ""
    selesai: str = ""
    penanggung_jawab: str = ""
    anggaran: int = 0
    sumber_dana: str = ""


@dataclass
class SubmitPlanInput:
    tanggal: str = ""
    tujuan: str = ""
    kegiatan: list[Kegiatan] = field(default_factory=list)
    catatan_revisi: str = ""


@dataclass
class CancelInput:
    alasan: str = ""
    oleh: str = ""
    tanggal: str = ""


@dataclass
class DecisionInput:
    """An approver's decision at pengesahan."""

    approver: str = ""
    decision: str = Decision.APPROVE
    note: str = ""
    tanggal: str = ""
    # For whom a delegate decides, when they hold delegations of two pending officials.
    atas_nama: str = ""


@dataclass
class MoveDeadlineInput:
    """A coordinator moves the due time of one pending decision."""

    user: str = ""
    # ISO date-time with its offset ("2020-12-10T16:00:00+08:00"), or a date (end of day
    # in the replikator's zone).
    sampai: str = ""
    oleh: str = ""
    alasan: str = ""


@dataclass
class EventResult:
    stage: str = ""
    message: str = ""
    documents: list[str] = field(default_factory=list)


# --- records kept in workflow state ----------------------------------------------------


@dataclass
class DocumentRef:
    """A small reference to an archived document: the bytes stay in S3."""

    seq: int = 0
    kind: str = ""
    version: int = 1
    nomor: str = ""
    tanggal: str = ""
    pdf_key: str = ""
    pdf_sha256: str = ""
    pdf_size: int = 0
    pages: int = 0
    docx_key: str = ""
    docx_sha256: str = ""
    docx_size: int = 0


@dataclass
class DecisionRecord:
    """Who decided (approver, nama, jabatan), for whom (pemegang), when and how."""

    approver: str = ""
    nama: str = ""
    jabatan: str = ""
    decision: str = ""
    note: str = ""
    version: int = 0
    at: str = ""
    tanggal: str = ""
    # Chains (empty jenis = a decision of the first, flat version): the holder of the
    # place in the chain, the delegation acted under, the group and its printed role.
    pemegang: str = ""
    sebagai: str = ""
    kelompok: int = 0
    jenis: str = ""
    peran: str = ""
    # The signature block as printed: the acting official with a.n./Plh. and for whom.
    penandatangan: Pejabat | None = None


@dataclass
class SessionRecord:
    jadwal: ScheduleSessionInput = field(default_factory=ScheduleSessionInput)
    laporan: RecordSessionInput | None = None


@dataclass
class ReminderRecord:
    stage: str = ""
    waiting_for: str = ""
    at: str = ""
    escalated: bool = False


# --- activity payloads -----------------------------------------------------------------


@dataclass
class DocumentFacts:
    """Everything a document kind may need; each kind reads only its part."""

    session: SessionRecord | None = None
    consent: InnovatorConsentInput | None = None
    decline: InnovatorDeclineInput | None = None
    transfer: CompleteTransferInput | None = None
    sessions: list[SessionRecord] = field(default_factory=list)
    team: FormTeamInput | None = None
    plan: SubmitPlanInput | None = None
    decisions: list[DecisionRecord] = field(default_factory=list)
    documents: list[DocumentRef] = field(default_factory=list)
    cancel: CancelInput | None = None
    workflow_run_id: str = ""
    # Only in the documents of a forum (laporan_forum, notula).
    forum: ForumReport | None = None


@dataclass
class ProduceDocumentInput:
    replication: ReplicationInput = field(default_factory=ReplicationInput)
    kind: str = ""
    seq: int = 0
    version: int = 1
    year: int = 0
    nomor: str = ""
    tanggal: str = ""
    facts: DocumentFacts = field(default_factory=DocumentFacts)
    workflow_run_id: str = ""
    # The signer's user id (an Approver.user) for a kind in SIGNED_KINDS; "" = not signed.
    # Only the id: keys and passphrases stay with the worker (activities/signing).
    penandatangan: str = ""


@dataclass
class ProduceDocumentsInput:
    """The documents one event makes, for one activity (issue 7): rendered at the same
    time, each archived exactly as produce_document archives it alone."""

    documents: list[ProduceDocumentInput] = field(default_factory=list)


@dataclass
class ReserveNomorInput:
    instansi: Instansi = field(default_factory=Instansi)
    year: int = 0
    # Stable per document version, so a retried reservation gets the same number.
    document_key: str = ""


@dataclass
class NomorRequest:
    document_key: str = ""


@dataclass
class VoidNomorInput:
    document_key: str = ""
    alasan: str = ""


class NomorState(StrEnum):
    RESERVED = "reserved"
    CONFIRMED = "confirmed"
    VOID = "void"


@dataclass
class NomorEntry:
    """One number of a register: who holds it and whether it is used, signed or void."""

    urut: int = 0
    document_key: str = ""
    state: str = NomorState.RESERVED
    alasan: str = ""


# One letter per number in a NomorLedger.
LEDGER_STATES = {NomorState.RESERVED: "r", NomorState.CONFIRMED: "c", NomorState.VOID: "v"}


@dataclass
class NomorLedger:
    """A register's entries in compact form, carried across continue-as-new.

    Decoding 5,000 NomorEntry dataclasses takes ~0.5 s outside the sandbox (measured) and
    longer inside it, past the 2 s deadlock detector, so a busy register stalled; plain
    lists decode in ~3 ms.
    """

    # Document key of number i + 1.
    keys: list[str] = field(default_factory=list)
    # State of number i + 1, one letter each (LEDGER_STATES).
    states: str = ""
    # Reason of each void, by number (as text: JSON object keys are strings).
    alasan: dict[str, str] = field(default_factory=dict)


@dataclass
class NomorRegisterInput:
    register_id: str = ""
    entries: list[NomorEntry] = field(default_factory=list)
    # Continue as new after this many updates (0 = when Temporal suggests); tests shrink it.
    continue_after: int = 0
    # The entries of a register that continued as new (issue 5); `entries` before.
    ledger: NomorLedger | None = None


@dataclass
class ManifestInput:
    replication_id: str = ""
    year: int = 0
    stage: str = ""
    nama_lokal: str = ""
    workflow_run_id: str = ""
    documents: list[DocumentRef] = field(default_factory=list)
    decisions: list[DecisionRecord] = field(default_factory=list)


@dataclass
class ReminderInput:
    replication_id: str = ""
    stage: str = ""
    waiting_for: str = ""
    recipients: list[str] = field(default_factory=list)
    escalation: bool = False
    # User ids to notify (holders, delegates, the superior; "koordinator" for the
    # coordinator): the notifier looks their addresses up in its own configuration.
    users: list[str] = field(default_factory=list)
    due: str = ""
    zona: str = ""


@dataclass
class PendingApproval:
    """One decision the current group still waits for."""

    user: str = ""
    nama: str = ""
    jabatan: str = ""
    due: str = ""
    overdue: bool = False
    # Delegates who may decide for this user today.
    delegasi: list[str] = field(default_factory=list)
    reminders: int = 0
    escalated: bool = False
    # Whom the escalation goes to: the superior's user id, or "koordinator".
    eskalasi_ke: str = ""


# --- queries ---------------------------------------------------------------------------


@dataclass
class ReplicationStatus:
    replication_id: str = ""
    nama_lokal: str = ""
    stage: str = ""
    waiting_for: list[str] = field(default_factory=list)
    waiting_on: list[str] = field(default_factory=list)
    since: str = ""
    due: str = ""
    overdue: bool = False
    version: int = 1
    reminders: int = 0
    documents: list[DocumentRef] = field(default_factory=list)
    decisions: list[DecisionRecord] = field(default_factory=list)
    note: str = ""
    # Knowledge-transfer sessions: "<sesi_id>: <acara> (<jenis>, <tanggal>, terlaksana)".
    sesi: list[str] = field(default_factory=list)
    # Pengesahan under a chain: the current group (1-based of `groups`), its kind and
    # quorum, who approved in it, and each pending decision with its own due time.
    group: int = 0
    groups: int = 0
    group_kind: str = ""
    kuorum: int = 0
    approved: list[str] = field(default_factory=list)
    pending: list[PendingApproval] = field(default_factory=list)
    # Once selesai: the user who signed (the delegate when a Plh. signed for the signer).
    signer: str = ""


@dataclass
class ReplicationResult:
    replication_id: str = ""
    stage: str = ""
    documents: list[DocumentRef] = field(default_factory=list)
    manifest_key: str = ""


# --- activity settings -----------------------------------------------------------------

DOCUMENT_TIMEOUT = timedelta(minutes=2)
SHORT_TIMEOUT = timedelta(seconds=30)

# Rendering and S3 writes are retried with backoff (storage may be away for a minute);
# template and data errors are raised non-retryable by the activity itself.
DOCUMENT_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    maximum_interval=timedelta(seconds=30),
    non_retryable_error_types=["TemplateError", "InvalidDocumentData"],
)
NOTIFY_RETRY = RetryPolicy(maximum_attempts=5)


DOCUMENT_TITLES: dict[str, str] = {
    DocumentKind.SURAT_PERMOHONAN: "Surat Permohonan Replikasi",
    DocumentKind.SURAT_KESEDIAAN: "Surat Pernyataan Kesediaan Direplikasi",
    DocumentKind.BERITA_ACARA_KESEPAKATAN: "Berita Acara Kesepakatan Replikasi",
    DocumentKind.SURAT_PENUTUPAN: "Surat Pemberitahuan Penutupan Replikasi",
    DocumentKind.SURAT_UNDANGAN: "Surat Undangan",
    DocumentKind.SURAT_TUGAS: "Surat Tugas",
    DocumentKind.DAFTAR_HADIR: "Daftar Hadir",
    DocumentKind.NOTULA: "Notula",
    DocumentKind.BERITA_ACARA_TRANSFER: "Berita Acara Transfer Pengetahuan",
    DocumentKind.LAPORAN_TRANSFER: "Laporan Transfer Pengetahuan",
    DocumentKind.SK_TIM: "Keputusan Tim Replikasi",
    DocumentKind.RENCANA_AKSI: "Rencana Aksi Replikasi (draf)",
    DocumentKind.LEMBAR_PENGESAHAN: "Lembar Pengesahan Rencana Aksi",
    DocumentKind.RENCANA_AKSI_FINAL: "Rencana Aksi Replikasi",
    DocumentKind.REKAM_JEJAK: "Rekam Jejak Replikasi",
    DocumentKind.SURAT_PEMBATALAN: "Surat Pemberitahuan Pembatalan Replikasi",
    DocumentKind.LAPORAN_FORUM: "Laporan Pelaksanaan Forum Replikasi",
}


# --- the forum (ForumWorkflow) ---------------------------------------------------------


class ForumStage(StrEnum):
    UNDANGAN = "undangan"  # invitations sent; waiting for the attendance (kehadiran)
    TERLAKSANA = "terlaksana"  # held and recorded; waiting for forum_selesai
    SELESAI = "selesai"


@dataclass
class AgendaItem:
    """One line of the forum's rundown: "09.15", "Arahan …", the speaker."""

    waktu: str = ""
    acara: str = ""
    pembicara: Peserta = field(default_factory=Peserta)


@dataclass
class ForumInput:
    """A Forum Replikasi Inovasi: one day, many invitees, many innovator-replicator pairs."""

    forum_id: str = ""
    acara: str = ""
    penyelenggara: Instansi = field(default_factory=Instansi)
    tanggal: str = ""
    mulai: str = ""
    selesai: str = ""
    # Zone of the times; empty = the penyelenggara's.
    zona: str = ""
    tempat: str = ""
    platform: str = ""
    tautan: str = ""
    meeting_id: str = ""
    kode_akses: str = ""
    agenda: list[AgendaItem] = field(default_factory=list)
    undangan: list[Peserta] = field(default_factory=list)
    narasumber: list[Peserta] = field(default_factory=list)
    # True: one Surat Undangan per invitee agency; False: one letter with a lampiran.
    undangan_per_instansi: bool = False
    pasangan: list[ReplicationInput] = field(default_factory=list)
    timing: Timing = field(default_factory=Timing)
    # Date of the invitation letters; empty = today in the penyelenggara's zone.
    tanggal_surat: str = ""
    # Year of the archive folder; 0 = year of `tanggal`.
    tahun: int = 0
    # Continue as new past this many history events (0 = FORUM_HISTORY_LIMIT, or sooner
    # when Temporal suggests it); tests shrink it.
    continue_after_events: int = 0
    # Set by the forum itself when it continues as new: where it was.
    lanjutan: ForumCarry | None = None
    # As on ReplicationInput; the forum passes it on to the replications it starts.
    render_task_queue: str = ""

    def jadwal(self) -> ScheduleSessionInput:
        """The forum as a session: what the undangan, daftar hadir and notula print."""
        return ScheduleSessionInput(
            sesi_id=self.forum_id,
            jenis=SessionType.FORUM,
            acara=self.acara,
            tanggal=self.tanggal,
            mulai=self.mulai,
            selesai=self.selesai,
            tempat=self.tempat,
            platform=self.platform,
            tautan=self.tautan,
            meeting_id=self.meeting_id,
            kode_akses=self.kode_akses,
            narasumber=list(self.narasumber),
            undangan=list(self.undangan),
            tanggal_surat=self.tanggal_surat,
        )


# A forum waits weeks for its attendance list; every reminder adds events. Well below
# Temporal's 51,200-event limit, so a history stays quick to replay.
FORUM_HISTORY_LIMIT = 2000


@dataclass
class ForumCarry:
    """A forum's state carried across continue-as-new."""

    stage: str = ForumStage.UNDANGAN
    since: str = ""
    documents: list[DocumentRef] = field(default_factory=list)
    laporan: RecordSessionInput | None = None
    closing: ForumClosingInput | None = None
    children: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class ForumClosingInput:
    """The forum is closed: summary, follow-up, and which pairs were agreed (empty = all)."""

    tanggal: str = ""
    ringkasan: str = ""
    tindak_lanjut: list[str] = field(default_factory=list)
    disepakati: list[str] = field(default_factory=list)


@dataclass
class PasanganRingkas:
    """An agreed innovator-replicator pair as the Laporan Pelaksanaan Forum lists it."""

    replication_id: str = ""
    nama_lokal: str = ""
    inovasi: str = ""
    inovator: str = ""
    replikator: str = ""


@dataclass
class ForumReport:
    """The forum's part of DocumentFacts."""

    agenda: list[AgendaItem] = field(default_factory=list)
    pasangan: list[PasanganRingkas] = field(default_factory=list)
    penutupan: ForumClosingInput | None = None
    undangan_per_instansi: bool = False


@dataclass
class ForumStatus:
    forum_id: str = ""
    acara: str = ""
    stage: str = ""
    waiting_for: list[str] = field(default_factory=list)
    since: str = ""
    hadir: int = 0
    documents: list[DocumentRef] = field(default_factory=list)
    # Workflow ids of the child replications started (replikasi-<id>).
    replikasi: list[str] = field(default_factory=list)
    note: str = ""


@dataclass
class ForumResult:
    forum_id: str = ""
    stage: str = ""
    documents: list[DocumentRef] = field(default_factory=list)
    replikasi: list[str] = field(default_factory=list)
    manifest_key: str = ""
