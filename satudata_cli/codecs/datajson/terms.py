"""The DCAT-US terms both directions of the data.json mapping share."""

from __future__ import annotations

from typing import Final

__all__ = [
    "ACCESS_LEVELS",
    "ACCESS_LEVEL_OF",
    "EXACT_FIELDS",
    "MAPPED_KEYS",
    "PERIODICITY",
    "UNSET_FIELDS",
]

#: accessLevel (DCAT-US) -> klasifikasi_akses, and back
ACCESS_LEVELS: Final[dict[str, str]] = {
    "public": "terbuka",
    "restricted public": "terbatas",
    "non-public": "tertutup",
}
ACCESS_LEVEL_OF: Final[dict[str, str]] = {v: k for k, v in ACCESS_LEVELS.items()}

#: jadwal_pemutakhiran (canonical) -> accrualPeriodicity (ISO 8601, as DCAT-US wants)
PERIODICITY: Final[dict[str, str]] = {
    "harian": "R/P1D",
    "mingguan": "R/P1W",
    "bulanan": "R/P1M",
    "triwulanan": "R/P3M",
    "empat_bulanan": "R/P4M",
    "semesteran": "R/P6M",
    "tahunan": "R/P1Y",
    "dua_tahunan": "R/P2Y",
    "lebih_dari_dua_tahunan": "R/P3Y",
    "ad_hoc": "irregular",
}

#: dataset keys this module maps; every other key is kept as it is
MAPPED_KEYS: Final[frozenset[str]] = frozenset(
    {
        "@type",
        "identifier",
        "title",
        "description",
        "keyword",
        "issued",
        "modified",
        "publisher",
        "contactPoint",
        "accrualPeriodicity",
        "accessLevel",
        "landingPage",
        "license",
        "spatial",
        "temporal",
        "distribution",
    }
)

#: satudata's own keys of an exported dataset (the writer adds them only when needed,
#: the reader applies them last): field -> exact value, for a record key named like a
#: DCAT-US term whose term does not give it back; the fields the terms would add that
#: the record does not have.
EXACT_FIELDS: Final = "satudata:fields"
UNSET_FIELDS: Final = "satudata:unset"
