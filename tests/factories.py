"""Sample facts for tests: one Palopo replication with every event filled in.

Names of officials are invented; agencies and the forum follow the 2020 South Sulawesi
Forum Replikasi Inovasi Pelayanan Publik (domain.md §0).
"""

from __future__ import annotations

from dataclasses import replace

from workflows.models import (
    AgendaItem,
    AnggotaTim,
    ApprovalGroup,
    Approver,
    CancelInput,
    CompleteTransferInput,
    DecisionRecord,
    Delegation,
    DocumentFacts,
    DocumentRef,
    FormTeamInput,
    ForumClosingInput,
    ForumInput,
    ForumReport,
    InnovatorConsentInput,
    InnovatorDeclineInput,
    Inovasi,
    Instansi,
    Kegiatan,
    PasanganRingkas,
    Pejabat,
    Peserta,
    ProduceDocumentInput,
    RecordSessionInput,
    ReplicationInput,
    ScheduleSessionInput,
    SessionRecord,
    SubmitPlanInput,
    Timing,
)

KADINKES_PALOPO = Pejabat(
    nama="dr. Andi Rahmawati Saleh, M.Kes.",
    jabatan="Kepala Dinas Kesehatan Kota Palopo",
    nip="197503122003122004",
    pangkat="Pembina Utama Muda (IV/c)",
)
SEKDA_PALOPO = Pejabat(
    nama="Drs. Muhammad Arifin Tahir, M.Si.",
    jabatan="Sekretaris Daerah Kota Palopo",
    nip="196808151994031009",
    pangkat="Pembina Utama Madya (IV/d)",
)
KADINKES_LUTRA = Pejabat(
    nama="dr. Hasniah Latif, M.Kes.",
    jabatan="Kepala Dinas Kesehatan Kabupaten Luwu Utara",
    nip="197801202005012011",
    pangkat="Pembina Tingkat I (IV/b)",
)
KAPUS_WARA_UTARA = Pejabat(
    nama="Nurhayati Baso, S.K.M., M.Kes.",
    jabatan="Kepala UPT Puskesmas Wara Utara",
    nip="198204172006042015",
    pangkat="Penata Tingkat I (III/d)",
)


def replikator() -> Instansi:
    return Instansi(
        kode="palopo-dinkes",
        nama="Dinas Kesehatan Kota Palopo",
        pemerintah="Pemerintah Kota Palopo",
        alamat="Jalan Andi Djemma Nomor 12, Palopo 91921",
        kota="Palopo",
        telepon="(0471) 21234",
        laman="dinkes.palopokota.go.id",
        email="dinkes@palopokota.go.id",
        zona="WITA",
        kode_unit="Dinkes",
        kepala=KADINKES_PALOPO,
    )


def inovator() -> Instansi:
    return Instansi(
        kode="lutra-dinkes",
        nama="Dinas Kesehatan Kabupaten Luwu Utara",
        pemerintah="Pemerintah Kabupaten Luwu Utara",
        alamat="Jalan Simpurusiang Nomor 5, Masamba 92961",
        kota="Masamba",
        zona="WITA",
        kode_unit="Dinkes",
        kepala=KADINKES_LUTRA,
    )


def koordinator() -> Instansi:
    return Instansi(
        kode="sulsel-biro-organisasi",
        nama="Biro Organisasi Sekretariat Daerah Provinsi Sulawesi Selatan",
        pemerintah="Pemerintah Provinsi Sulawesi Selatan",
        alamat="Jalan Urip Sumoharjo Nomor 269, Makassar 90231",
        kota="Makassar",
        zona="WITA",
        kode_unit="Org",
    )


KABID_KESMAS = Pejabat(
    nama="Sitti Marwah Lantara, S.K.M., M.Kes.",
    jabatan="Kepala Bidang Kesehatan Masyarakat Dinas Kesehatan Kota Palopo",
    nip="197606142000032005",
    pangkat="Pembina (IV/a)",
)
SEKDIS_PALOPO = Pejabat(
    nama="Drs. Baharuddin Kaso, M.Kes.",
    jabatan="Sekretaris Dinas Kesehatan Kota Palopo",
    nip="197204101998031006",
    pangkat="Pembina Tingkat I (IV/b)",
)
ASISTEN_PALOPO = Pejabat(
    nama="Andi Baso Rahman, S.H., M.H.",
    jabatan="Asisten Pemerintahan dan Kesejahteraan Rakyat Sekretariat Daerah Kota Palopo",
    nip="196905121995031003",
    pangkat="Pembina Utama Muda (IV/c)",
)


def chain(paraf_kuorum: int = 0) -> list[ApprovalGroup]:
    """Paraf by the Kabid and the Sekretaris Dinas (in parallel), approval by the Kepala
    Dinas, signing by the Sekda."""
    return [
        ApprovalGroup(
            jenis="paraf",
            anggota=[
                Approver(user="kabid.kesmas", pejabat=KABID_KESMAS, atasan="sekdis.palopo"),
                Approver(user="sekdis.palopo", pejabat=SEKDIS_PALOPO, atasan="kadinkes.palopo"),
            ],
            kuorum=paraf_kuorum,
        ),
        ApprovalGroup(
            jenis="persetujuan",
            anggota=[Approver(user="kadinkes.palopo", pejabat=KADINKES_PALOPO)],
        ),
        ApprovalGroup(
            jenis="penandatangan",
            anggota=[Approver(user="sekda.palopo", pejabat=SEKDA_PALOPO)],
        ),
    ]


def plh_sekda(dari: str = "2020-12-01", sampai: str = "2020-12-05") -> Delegation:
    """The Asisten as Plh. Sekretaris Daerah while the Sekda is away."""
    return Delegation(
        pemegang="sekda.palopo",
        delegasi="asisten1.palopo",
        jenis="Plh.",
        pejabat=ASISTEN_PALOPO,
        dari=dari,
        sampai=sampai,
    )


def replication(replication_id: str = "palopo-2020-01") -> ReplicationInput:
    return ReplicationInput(
        replication_id=replication_id,
        nama_lokal="HIPNO-BUNDA Wara Utara",
        inovasi=Inovasi(
            nama="ANC Hipnoterapi",
            instansi="Dinas Kesehatan Kabupaten Luwu Utara",
            tahun=2017,
            penghargaan="Top 40 KIPP 2018",
            kategori="Kesehatan",
            ringkasan="Pemeriksaan kehamilan (antenatal care) yang dipadukan dengan "
            "hipnoterapi untuk menurunkan kecemasan ibu hamil.",
        ),
        inovator=inovator(),
        replikator=replikator(),
        koordinator=koordinator(),
        latar_belakang="Cakupan kunjungan ibu hamil K4 di Wara Utara masih di bawah target.",
        modifikasi="Sesi hipnoterapi dilakukan berkelompok di kelas ibu hamil kelurahan.",
        approvers=[
            Approver(user="kadinkes.palopo", peran="Disetujui oleh", pejabat=KADINKES_PALOPO),
            Approver(user="sekda.palopo", peran="Disahkan oleh", pejabat=SEKDA_PALOPO),
        ],
        timing=Timing(),
        tanggal="2020-10-05",
        tahun=2020,
    )


def forum_session() -> ScheduleSessionInput:
    return ScheduleSessionInput(
        sesi_id="forum-2020",
        jenis="forum",
        acara="Forum Replikasi Inovasi Pelayanan Publik Tahun 2020",
        tanggal="2020-10-13",
        mulai="09:00",
        tempat="Aula Kantor Bappeda Kota Palopo",
        platform="Zoom Meeting",
        tautan="https://zoom.us/j/81234567890",
        meeting_id="812 3456 7890",
        kode_akses="replikasi",
        narasumber=[
            Peserta(
                nama="Muhammad Imanuddin",
                jabatan="Asisten Deputi Perumusan Kebijakan Pelayanan Publik",
                instansi="Kementerian PANRB",
            ),
            Peserta(nama=KADINKES_LUTRA.nama, jabatan=KADINKES_LUTRA.jabatan, instansi="Inovator"),
        ],
        undangan=[
            Peserta(nama=KADINKES_PALOPO.nama, jabatan=KADINKES_PALOPO.jabatan),
            Peserta(nama=KAPUS_WARA_UTARA.nama, jabatan=KAPUS_WARA_UTARA.jabatan),
            Peserta(jabatan="Kepala Bappeda Kota Palopo"),
        ],
        tanggal_surat="2020-10-08",
    )


def studi_tiru_session() -> ScheduleSessionInput:
    return ScheduleSessionInput(
        sesi_id="studi-tiru-masamba",
        jenis="studi_tiru",
        acara="Studi Tiru ANC Hipnoterapi di Puskesmas Masamba",
        tanggal="2020-11-03",
        tanggal_selesai="2020-11-04",
        mulai="08:30",
        selesai="15:00",
        tempat="UPT Puskesmas Masamba, Kabupaten Luwu Utara",
        narasumber=[Peserta(nama="Sitti Aminah, S.ST.", jabatan="Bidan Koordinator")],
        undangan=[Peserta(nama=KAPUS_WARA_UTARA.nama, jabatan=KAPUS_WARA_UTARA.jabatan)],
        petugas=[
            KAPUS_WARA_UTARA,
            Pejabat(
                nama="Rahmi Aswad, A.Md.Keb.",
                jabatan="Bidan Pelaksana UPT Puskesmas Wara Utara",
                nip="199103042015032002",
                pangkat="Pengatur (II/c)",
            ),
        ],
        tujuan_tugas="Mempelajari penerapan ANC Hipnoterapi pada kelas ibu hamil",
        sumber_dana="DPA Dinas Kesehatan Kota Palopo Tahun Anggaran 2020",
        tanggal_surat="2020-10-28",
    )


def forum_record() -> RecordSessionInput:
    return RecordSessionInput(
        sesi_id="forum-2020",
        hadir=[
            Peserta(
                nama=KADINKES_PALOPO.nama, jabatan=KADINKES_PALOPO.jabatan, nip=KADINKES_PALOPO.nip
            ),
            Peserta(
                nama=KAPUS_WARA_UTARA.nama,
                jabatan=KAPUS_WARA_UTARA.jabatan,
                nip=KAPUS_WARA_UTARA.nip,
            ),
            Peserta(nama=KADINKES_LUTRA.nama, jabatan=KADINKES_LUTRA.jabatan, instansi="Inovator"),
        ],
        pimpinan=Pejabat(
            nama="Rizky Amelia Ayunintias",
            jabatan="Sub Koordinator Analisis Kebijakan Pelayanan Publik",
        ),
        pencatat=Pejabat(
            nama="Fitriani Rauf, S.Sos.", jabatan="Analis Kebijakan", nip="199005122015032001"
        ),
        pembahasan=[
            "Arah kebijakan replikasi inovasi untuk percepatan peningkatan kualitas "
            "pelayanan publik.",
            "Paparan inovator tentang penerapan ANC Hipnoterapi di Luwu Utara.",
        ],
        kesepakatan=[
            "Puskesmas Wara Utara mereplikasi ANC Hipnoterapi mulai Januari 2021.",
            "Inovator mendampingi studi tiru pada November 2020.",
        ],
        selesai_pukul="12:30",
    )


def plan(version: int = 1) -> SubmitPlanInput:
    sosialisasi = 15_000_000 if version == 1 else 7_500_000
    return SubmitPlanInput(
        tanggal="2020-11-20" if version == 1 else "2020-11-27",
        tujuan="Meningkatkan cakupan K4 ibu hamil di wilayah kerja Puskesmas Wara Utara.",
        kegiatan=[
            Kegiatan(
                "Sosialisasi kepada kader dan ibu hamil",
                "20 kelas ibu hamil",
                "Kehadiran ≥ 80 %",
                "2021-01",
                "2021-02",
                "Kepala UPT Puskesmas Wara Utara",
                sosialisasi,
                "APBD Kota Palopo",
            ),
            Kegiatan(
                "Pelatihan hipnoterapi bagi bidan",
                "10 bidan terlatih",
                "Sertifikat pelatihan",
                "2021-02",
                "2021-03",
                "Kepala Seksi Kesehatan Keluarga",
                12_198_000,
                "DAK Non Fisik (BOK)",
            ),
        ],
        catatan_revisi="" if version == 1 else "Anggaran sosialisasi disesuaikan.",
    )


def team() -> FormTeamInput:
    return FormTeamInput(
        tanggal="2020-11-16",
        anggota=[
            AnggotaTim("Pengarah", SEKDA_PALOPO),
            AnggotaTim("Penanggung Jawab", KADINKES_PALOPO),
            AnggotaTim("Ketua", KAPUS_WARA_UTARA),
            AnggotaTim(
                "Anggota", Pejabat(nama="Rahmi Aswad, A.Md.Keb.", jabatan="Bidan Pelaksana")
            ),
        ],
        tugas=["Menyusun rencana aksi replikasi.", "Melaksanakan dan memantau replikasi."],
    )


# The inovator's Surat Kesediaan: its own number and date (InnovatorConsentInput).
KESEDIAAN_NOMOR = "440/210/Dinkes/X/2020"
KESEDIAAN_TANGGAL = "2020-10-08"


def document_input(
    kind: str, nomor: str = "000.8.3.3/15/Dinkes/2020", **facts: object
) -> ProduceDocumentInput:
    """A ProduceDocumentInput for `kind` with every fact a template may read."""
    base = DocumentFacts(
        session=SessionRecord(jadwal=forum_session(), laporan=forum_record()),
        consent=InnovatorConsentInput(
            tanggal=KESEDIAAN_TANGGAL,
            penandatangan=KADINKES_LUTRA,
            nomor_surat_kesediaan=KESEDIAAN_NOMOR,
        ),
        decline=InnovatorDeclineInput(tanggal="2020-10-08", alasan="Inovasi sedang dievaluasi."),
        transfer=CompleteTransferInput(
            tanggal="2020-11-10",
            hasil=["Tim memahami alur ANC Hipnoterapi.", "SOP inovator diterima."],
            simpulan="Transfer pengetahuan terlaksana sesuai rencana.",
            saran=["Pendampingan lanjutan secara daring setiap bulan."],
        ),
        sessions=[
            SessionRecord(jadwal=forum_session(), laporan=forum_record()),
            SessionRecord(
                jadwal=studi_tiru_session(),
                laporan=replace(forum_record(), sesi_id="studi-tiru-masamba"),
            ),
        ],
        team=team(),
        plan=plan(),
        decisions=[
            DecisionRecord(
                "kadinkes.palopo",
                KADINKES_PALOPO.nama,
                KADINKES_PALOPO.jabatan,
                "approve",
                "",
                1,
                "2020-11-23T02:00:00+00:00",
                "2020-11-23",
            ),
            DecisionRecord(
                "sekda.palopo",
                SEKDA_PALOPO.nama,
                SEKDA_PALOPO.jabatan,
                "approve",
                "Lanjutkan.",
                1,
                "2020-11-25T02:00:00+00:00",
                "2020-11-25",
            ),
        ],
        documents=[
            DocumentRef(
                seq=1,
                kind="surat_permohonan",
                nomor="000.8.3.3/15/Dinkes/2020",
                tanggal="2020-10-05",
                pdf_key="2020/palopo-2020-01/01-surat_permohonan-v1.pdf",
                pdf_sha256="ab" * 32,
                docx_key="2020/palopo-2020-01/01-surat_permohonan-v1.docx",
                docx_sha256="cd" * 32,
            ),
        ],
        cancel=CancelInput(
            alasan="Anggaran tahun berjalan dialihkan.", oleh="Koordinator", tanggal="2020-11-01"
        ),
    )
    for name, value in facts.items():
        setattr(base, name, value)
    return ProduceDocumentInput(
        replication=replication(),
        kind=kind,
        seq=1,
        version=1,
        year=2020,
        nomor=nomor,
        tanggal="2020-10-05",
        facts=base,
        workflow_run_id="run-test",
    )


# --- the forum ---------------------------------------------------------------------------

SEKDA_SULSEL = Peserta(
    nama="Dr. Abdul Hayat", jabatan="Sekretaris Daerah Provinsi Sulawesi Selatan"
)
ASDEP_KEMENPANRB = Peserta(
    nama="Muhammad Imanuddin",
    jabatan="Asisten Deputi Perumusan Kebijakan Pelayanan Publik",
    instansi="Kementerian PANRB",
)
PANITIA = Peserta(
    nama="Rizky Amelia Ayunintias",
    jabatan="Sub Koordinator Analisis Kebijakan Pelayanan Publik",
    instansi="Biro Organisasi Sekretariat Daerah Provinsi Sulawesi Selatan",
)


KARO_ORGANISASI = Pejabat(
    nama="Dr. Andi Nurhidayah Mappiare, S.STP., M.Si.",
    jabatan="Kepala Biro Organisasi Sekretariat Daerah Provinsi Sulawesi Selatan",
    nip="197811232000122001",
    pangkat="Pembina Tingkat I (IV/b)",
)


def penyelenggara() -> Instansi:
    return replace(koordinator(), kepala=KARO_ORGANISASI)


def forum_agenda() -> list[AgendaItem]:
    return [
        AgendaItem("09.00", "Laporan panitia", PANITIA),
        AgendaItem("09.15", "Arahan Kementerian PANRB", ASDEP_KEMENPANRB),
        AgendaItem("09.45", "Sambutan dan pembukaan", SEKDA_SULSEL),
    ]


def forum_invitees() -> list[Peserta]:
    """Five invitees from four agencies (more than three: the letter gets a lampiran)."""
    return [
        Peserta(KADINKES_PALOPO.nama, KADINKES_PALOPO.jabatan, "Dinas Kesehatan Kota Palopo"),
        Peserta(
            "Sitti Marwah Lantara",
            "Kepala Bidang Kesehatan Masyarakat",
            "Dinas Kesehatan Kota Palopo",
        ),
        Peserta(KAPUS_WARA_UTARA.nama, KAPUS_WARA_UTARA.jabatan, "UPT Puskesmas Wara Utara"),
        Peserta(
            KADINKES_LUTRA.nama, KADINKES_LUTRA.jabatan, "Dinas Kesehatan Kabupaten Luwu Utara"
        ),
        Peserta(jabatan="Kepala Bappeda Kota Palopo", instansi="Bappeda Kota Palopo"),
    ]


def forum(forum_id: str = "fripp-sulsel-2020", pasangan: int = 2) -> ForumInput:
    pairs = [
        replace(replication(f"{forum_id}-{i}"), nama_lokal=f"HIPNO-BUNDA {i}")
        for i in range(1, pasangan + 1)
    ]
    return ForumInput(
        forum_id=forum_id,
        acara="Forum Replikasi Inovasi Pelayanan Publik Tahun 2020",
        penyelenggara=penyelenggara(),
        tanggal="2020-10-13",
        mulai="09.00",
        tempat="Aula Kantor Bappeda Kota Palopo",
        platform="Zoom Meeting",
        tautan="https://zoom.us/j/81234567890",
        meeting_id="812 3456 7890",
        kode_akses="FRIPP2020",
        agenda=forum_agenda(),
        undangan=forum_invitees(),
        narasumber=[ASDEP_KEMENPANRB, SEKDA_SULSEL],
        pasangan=pairs,
        tanggal_surat="2020-10-08",
        tahun=2020,
    )


def forum_attendance() -> RecordSessionInput:
    record = forum_record()
    return replace(
        record,
        sesi_id="",
        hadir=[*forum_invitees()[:4], replace(ASDEP_KEMENPANRB)],
        pimpinan=Pejabat(nama=PANITIA.nama, jabatan=PANITIA.jabatan),
    )


def forum_closing() -> ForumClosingInput:
    return ForumClosingInput(
        tanggal="2020-10-13",
        ringkasan="Forum terlaksana dan menyepakati pasangan replikasi inovasi.",
        tindak_lanjut=["Replikator menyusun rencana aksi paling lambat November 2020."],
    )


def forum_report() -> ForumReport:
    return ForumReport(
        agenda=forum_agenda(),
        pasangan=[
            PasanganRingkas(
                "palopo-2020-01",
                "HIPNO-BUNDA Wara Utara",
                "ANC Hipnoterapi",
                "Dinas Kesehatan Kabupaten Luwu Utara",
                "Dinas Kesehatan Kota Palopo",
            )
        ],
        penutupan=forum_closing(),
    )


def sample_input(kind: str) -> ProduceDocumentInput:
    """The facts the workflow would pass for `kind` (a travel session for a Surat Tugas)."""
    if kind == "laporan_forum":
        inp = document_input(kind, nomor="", forum=forum_report())
        inp.replication = replace(
            inp.replication, replication_id="fripp-sulsel-2020", replikator=penyelenggara()
        )
        inp.facts.documents = [
            DocumentRef(1, "surat_undangan", 1, "000.8.3.3/7/Org/2020", "2020-10-08")
        ]
        return inp
    if kind == "surat_tugas":
        return document_input(kind, session=SessionRecord(jadwal=studi_tiru_session()))
    if kind == "surat_kesediaan":
        # The inovator's own letter: its number and the consent date, as the workflow passes.
        inp = document_input(kind, nomor=KESEDIAAN_NOMOR)
        inp.tanggal = KESEDIAAN_TANGGAL
        return inp
    return document_input(kind)
