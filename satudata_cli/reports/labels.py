"""The words of the reports in Indonesian and English (text, CSV headers, HTML)."""

from __future__ import annotations

from typing import Final

from satudata_cli.core.i18n import Lang

_LABELS: Final[dict[str, tuple[str, str]]] = {
    # key: (Bahasa Indonesia, English)
    "compliance_title": (
        "Kepatuhan metadata terhadap standar Satu Data per perangkat daerah",
        "Metadata compliance with the Satu Data standard per agency",
    ),
    "freshness_title": (
        "Kemutakhiran data per perangkat daerah (jadwal pemutakhiran)",
        "Data freshness per agency (jadwal pemutakhiran)",
    ),
    "by_organization": ("Perangkat daerah", "Agency"),
    "by_produsen_data": ("Produsen data", "Produsen data"),
    "by_source": ("Sumber", "Source"),
    "datasets": ("Dataset", "Datasets"),
    "valid": ("Tanpa galat", "No errors"),
    "compliant": ("Patuh penuh", "Fully compliant"),
    "score": ("Skor", "Score"),
    "change": ("Perubahan", "Change"),
    "previous_score": ("Skor sebelumnya", "Previous score"),
    "top_rules": ("Aturan paling sering gagal", "Most frequent failing rules"),
    "completeness": ("Kelengkapan per kolom standar", "Completeness per field of the standard"),
    "field": ("Kolom", "Field"),
    "kind": ("Jenis", "Kind"),
    "required": ("wajib", "required"),
    "recommended": ("anjuran", "recommended"),
    "overall": ("Seluruh katalog", "Whole catalogue"),
    "lowest": ("Terendah", "Lowest"),
    "dataset": ("Dataset", "Dataset"),
    "source": ("Sumber", "Source"),
    "missing": ("Kolom kosong", "Missing fields"),
    "rules": ("Aturan yang gagal", "Failing rules"),
    "lowest_datasets": ("Dataset dengan skor terendah", "Datasets with the lowest score"),
    "all_datasets": ("Semua dataset", "All datasets"),
    "new": ("baru", "new"),
    "none": ("(tidak diisi)", "(not given)"),
    "on_time": ("Tepat waktu", "On time"),
    "overdue": ("Terlambat", "Overdue"),
    "unknown_frequency": ("Jadwal tidak diketahui", "Unknown frequency"),
    "worst": ("Paling terlambat", "Worst cases"),
    "jadwal": ("Jadwal", "Schedule"),
    "last_update": ("Pembaruan terakhir", "Last update"),
    "last_update_from": ("Menurut", "From"),
    "next_due": ("Jatuh tempo", "Due"),
    "days_overdue": ("Hari", "Days"),
    "status": ("Status", "Status"),
    "overdue_datasets": ("Dataset yang terlambat diperbarui", "Datasets overdue for update"),
    "more": (
        "... dan {n} lagi (--detail menampilkan semuanya)",
        "... and {n} more (--detail shows them all)",
    ),
    "scope": (
        "Hanya dataset aktif (dataset yang ditarik tidak dihitung).",
        "Active datasets only (withdrawn datasets are not counted).",
    ),
    "formula": ("Rumus skor", "Score formula"),
    "previous_none": (
        "Perubahan: belum ada panen sebelumnya untuk dibandingkan.",
        "Change: there is no previous harvest to compare with yet.",
    ),
    "previous_some": (
        "Perubahan dibanding panen sebelumnya: {jobs}.",
        "Change since the previous harvest: {jobs}.",
    ),
    "generated": ("Dibuat", "Made"),
    "catalogue": ("Katalog", "Catalogue"),
    "sources": ("Sumber", "Sources"),
    "as_of": ("Per tanggal", "As of"),
    "grace": ("Toleransi", "Grace"),
    "freshness_summary": ("Ringkasan kemutakhiran", "Freshness summary"),
    "chart_scores": ("Skor kepatuhan per perangkat daerah", "Compliance score per agency"),
    "chart_freshness": (
        "Tepat waktu / terlambat / jadwal tidak diketahui",
        "On time / overdue / unknown frequency",
    ),
    "from_tanggal_diperbarui": ("tanggal_diperbarui", "tanggal_diperbarui"),
    "from_remote_modified": ("diubah di sumber", "modified at the source"),
    "from_first_seen": ("pertama terlihat", "first seen"),
    "below_min": (
        "{n} perangkat daerah di bawah skor minimum {min}: {names}",
        "{n} agencies below the minimum score {min}: {names}",
    ),
    "sort_hint": ("Klik judul kolom untuk mengurutkan.", "Click a column heading to sort."),
}


def label(key: str, lang: Lang, **values: object) -> str:
    indonesian, english = _LABELS[key]
    text = indonesian if lang == "id" else english
    return text.format(**values) if values else text


def group_label(by: str, lang: Lang) -> str:
    return label(f"by_{by}", lang)


def agency_name(name: str | None, lang: Lang) -> str:
    return name if name is not None else label("none", lang)


def status_label(status: str, lang: Lang) -> str:
    return label(status, lang)


def change_text(change: float | None, previous_datasets: int | None, lang: Lang) -> str:
    """``+2.5``, ``-1.0``, ``0.0``; ``new`` for an agency without datasets before; ``-``
    when there is nothing to compare with."""
    if previous_datasets == 0:
        return label("new", lang)
    if change is None:
        return "–"
    return f"{change:+.1f}" if change else "0.0"


def percent(share: float | None) -> str:
    return "–" if share is None else f"{share * 100:.0f}%"
