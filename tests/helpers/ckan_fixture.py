"""A CKAN-API-compatible fixture server for tests and benchmarks.

:class:`CkanFixture` serves generated (or given) CKAN packages over real HTTP on
127.0.0.1, in a thread, with switches that imitate what real portals do wrong::

    from tests.helpers.ckan_fixture import CkanFixture, make_packages

    with CkanFixture(datasets=make_packages(2_500, seed=7)) as ckan:
        ckan.fail_500_times = 2          # the next two requests answer HTTP 500
        ...harvest ckan.url...
        assert ckan.requests[0].headers["user-agent"].startswith("satudata/")

Actions (``/api/3/action/<name>``, GET query or POST JSON body):

``package_search``
    ``q`` (``*:*`` or words that must all occur in name, title, notes, tags or
    organization), ``fq`` (see below), ``rows`` (default 10, capped at ``max_rows``,
    1000, as CKAN does), ``start``, ``sort`` (``id``, ``name``, ``metadata_modified`` or
    ``metadata_created``, ``asc``/``desc``; default ``metadata_modified desc``).
    ``fq`` is a small subset of the Lucene syntax: clauses joined by ``AND`` (or
    juxtaposed, optionally prefixed with ``+``), each clause one term or a
    parenthesised ``OR`` of terms; a term is ``organization:VALUE``, ``tags:VALUE``,
    ``name:VALUE``, ``id:VALUE`` (value bare or quoted), ``field:(a OR b)``, or a
    range ``metadata_modified:[FROM TO *]`` / ``id:{FROM TO *]``. Anything else is a
    CKAN "Search Query Error" (HTTP 409).
``current_package_list_with_resources``
    ``limit`` (default and cap ``max_rows``), ``offset`` (or ``page``); newest
    ``metadata_modified`` first.
``package_list``
    every name, sorted; optional ``limit``/``offset``.
``package_show``
    ``id`` (the id or the name); 404 "Not Found Error" otherwise.
``status_show``
    site information.
``organization_show``
    ``id`` (the id or the name) of an organization embedded in a package or added with
    :meth:`CkanFixture.add_organization`; 404 "Not Found Error" otherwise (HTTP 400, an
    unknown action, with ``disable_organization_show``).

An unknown action is HTTP 400 with a bare JSON string body, as CKAN answers.

Switches (plain attributes, settable at any time, read under a lock):
``fail_500_times``, ``rate_limit_429_times`` (with ``retry_after`` seconds),
``slow_seconds``, ``truncate_next`` (the full Content-Length, then the connection
closes after half the body), ``html_200_next`` (an HTML error page with status 200),
``repeat_page`` (every page is the first page), ``wrong_count`` (the count reported),
``insert_while_paging`` (a package inserted into the catalogue right after the first
page of a paged listing has been served), ``disable_package_search``,
``broken_package_search`` (success, but ``result.results`` is not a list),
``disable_current_package_list``, ``disable_package_list``, ``empty`` (the catalogue
looks empty), ``max_rows`` (the portal's cap on ``rows``/``limit``, 1000 like CKAN),
``junk_items`` (JSON values listed by package_search before the packages: items that
are not packages) and ``envelope`` (``"ckan"`` or ``"status_message"``, the
``{"status": "200 OK", "message": ..., "result": ...}`` shape some portals use).

Run as a script it serves a generated catalogue from its own process (for benchmarks
that measure the harvester's memory without the fixture's)::

    python tests/helpers/ckan_fixture.py --datasets 100000 --seed 1   # prints the URL, then serves

Every request is recorded in :attr:`CkanFixture.requests` (method, path, action,
query, lower-cased headers); :attr:`CkanFixture.max_in_flight` is the most requests
answered at the same time. Packages are serialised to JSON once and pages are
built by joining bytes, so 100,000 packages page quickly; pass an iterator
(:func:`iter_packages`) to avoid holding every package as a dict at once.
:meth:`CkanFixture.prebuild_pages` (``--prebuilt-pages`` as a script, what
``benchmarks/bench_harvest.py`` uses) builds every ``package_search`` reply of one listing
up front and serves it from memory, so that a benchmark measures the client, not the
page building; a change to the catalogue drops the kept replies, and a switch that
changes a page (``repeat_page``, ``junk_items``, ``wrong_count``...) bypasses them.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import hashlib
import json
import operator
import random
import re
import signal
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal
from urllib.parse import parse_qsl, urlsplit

__all__ = [
    "CkanFixture",
    "RecordedRequest",
    "iter_packages",
    "make_packages",
    "package",
]

MAX_ROWS = 1000
PORTAL = "https://data.pemkomedan.go.id"

# -- generated packages ----------------------------------------------------------------

# (organization name, title, short name used in produsen_data variants, topics)
_AGENCIES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "dinas-kesehatan",
        "Dinas Kesehatan Kota Medan",
        (
            "Jumlah Puskesmas",
            "Jumlah Tenaga Kesehatan",
            "Cakupan Imunisasi Dasar Lengkap",
            "Jumlah Kasus Demam Berdarah Dengue",
            "Angka Kematian Bayi",
            "Jumlah Balita Gizi Buruk",
        ),
    ),
    (
        "dinas-pendidikan",
        "Dinas Pendidikan Kota Medan",
        (
            "Jumlah Sekolah Dasar",
            "Jumlah Murid SMP",
            "Angka Partisipasi Murni",
            "Jumlah Guru Bersertifikat",
            "Rasio Murid terhadap Guru",
        ),
    ),
    (
        "disdukcapil",
        "Dinas Kependudukan dan Pencatatan Sipil Kota Medan",
        (
            "Jumlah Penduduk",
            "Jumlah Kartu Keluarga",
            "Jumlah Akta Kelahiran Terbit",
            "Jumlah Penduduk Wajib KTP",
            "Kepadatan Penduduk",
        ),
    ),
    (
        "bappeda",
        "Badan Perencanaan Pembangunan Daerah Kota Medan",
        (
            "Indeks Pembangunan Manusia",
            "Realisasi Program Prioritas",
            "Persentase Penduduk Miskin",
            "Capaian Indikator Kinerja Utama",
        ),
    ),
    (
        "dinas-perhubungan",
        "Dinas Perhubungan Kota Medan",
        (
            "Jumlah Kendaraan Bermotor",
            "Jumlah Titik Parkir",
            "Panjang Jalur Angkutan Umum",
            "Jumlah Halte Bus",
        ),
    ),
    (
        "dinas-sosial",
        "Dinas Sosial Kota Medan",
        (
            "Jumlah Penerima Bantuan Sosial",
            "Jumlah Penyandang Masalah Kesejahteraan Sosial",
            "Jumlah Panti Sosial",
        ),
    ),
    (
        "dinas-lingkungan-hidup",
        "Dinas Lingkungan Hidup Kota Medan",
        (
            "Volume Sampah Terangkut",
            "Jumlah Bank Sampah",
            "Luas Ruang Terbuka Hijau",
            "Indeks Kualitas Udara",
        ),
    ),
    (
        "diskominfo",
        "Dinas Komunikasi dan Informatika Kota Medan",
        (
            "Jumlah Titik Wi-Fi Publik",
            "Jumlah Aplikasi Layanan Publik",
            "Jumlah Pengaduan Masyarakat",
        ),
    ),
    (
        "bapenda",
        "Badan Pendapatan Daerah Kota Medan",
        (
            "Realisasi Pajak Daerah",
            "Jumlah Wajib Pajak Bumi dan Bangunan",
            "Realisasi Retribusi Daerah",
        ),
    ),
    (
        "dinas-tenaga-kerja",
        "Dinas Tenaga Kerja Kota Medan",
        (
            "Jumlah Pencari Kerja Terdaftar",
            "Tingkat Pengangguran Terbuka",
            "Jumlah Perusahaan Terdaftar",
        ),
    ),
    (
        "dinas-pariwisata",
        "Dinas Kebudayaan dan Pariwisata Kota Medan",
        (
            "Jumlah Kunjungan Wisatawan",
            "Jumlah Hotel dan Kamar",
            "Jumlah Cagar Budaya",
        ),
    ),
    (
        "bpbd",
        "Badan Penanggulangan Bencana Daerah Kota Medan",
        (
            "Jumlah Kejadian Banjir",
            "Jumlah Kejadian Kebakaran",
            "Jumlah Titik Rawan Bencana",
        ),
    ),
)

_KECAMATAN = (
    "Medan Tuntungan",
    "Medan Johor",
    "Medan Amplas",
    "Medan Denai",
    "Medan Area",
    "Medan Kota",
    "Medan Maimun",
    "Medan Polonia",
    "Medan Baru",
    "Medan Selayang",
    "Medan Sunggal",
    "Medan Helvetia",
    "Medan Petisah",
    "Medan Barat",
    "Medan Timur",
    "Medan Perjuangan",
    "Medan Tembung",
    "Medan Deli",
    "Medan Labuhan",
    "Medan Marelan",
    "Medan Belawan",
)
_BREAKDOWNS = ("Menurut Kecamatan", "Menurut Jenis Kelamin", "Menurut Kelompok Umur", "Per Bulan")
_FREQUENCIES = ("Tahunan", "tahunan", "Bulanan", "Triwulanan", "Semesteran", "TAHUNAN")
_ACCESS = ("terbuka", "Terbuka", "terbuka", "terbatas")
_LICENSES = ("cc-by", "cc-by", "cc-by-sa", "odc-by", "other-open")
_UNITS = ("orang", "unit", "persen", "jiwa", "rupiah", "kejadian")
_MEASURES = ("Jumlah", "Persentase", "Indeks", "Rasio")
_FORMATS = ("csv", "xlsx", "json", "pdf")
_ORG_IDS = {name: "" for name, _title, _topics in _AGENCIES}
_EPOCH = dt.datetime(2019, 1, 1)
_SPAN_SECONDS = int((dt.datetime(2026, 6, 30) - _EPOCH).total_seconds())


@functools.lru_cache(maxsize=8192)
def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _uuid(*parts: object) -> str:
    """A deterministic UUID4-shaped id for ``parts``."""
    h = hashlib.blake2b(":".join(map(str, parts)).encode(), digest_size=16).hexdigest()
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}"


def _ckan_time(moment: dt.datetime) -> str:
    """CKAN's timestamp shape: naive UTC with microseconds."""
    return moment.isoformat(timespec="microseconds")


_ORG_IDS.update({name: _uuid("organization", name) for name in _ORG_IDS})


def package(index: int, *, seed: int) -> dict[str, Any]:
    """Package number ``index`` of the generated catalogue ``seed`` (deterministic)."""
    rng = random.Random(seed * 1_000_003 + index)
    org_name, org_title, topics = _AGENCIES[rng.randrange(len(_AGENCIES))]
    org_id = _ORG_IDS[org_name]
    topic = rng.choice(topics)
    breakdown = rng.choice(_BREAKDOWNS)
    created = _EPOCH + dt.timedelta(seconds=rng.randrange(_SPAN_SECONDS))
    year = created.year - rng.randrange(0, 3)
    title = f"{topic} {breakdown} di Kota Medan Tahun {year}"
    name = f"{_slug(title)[:80]}-{index}"
    package_id = _uuid("package", seed, index)
    modified = min(
        created + dt.timedelta(days=rng.randrange(0, 700), seconds=rng.randrange(86_400)),
        dt.datetime(2026, 6, 30, 23, 59, 59),
    )
    formats = rng.sample(_FORMATS[:3], rng.randrange(1, 3))
    if rng.random() < 0.3:
        format_value = json.dumps(formats)  # '["csv", "xlsx"]', as some portals store it
    else:
        format_value = ", ".join(f.upper() if rng.random() < 0.5 else f for f in formats)
    extras: list[dict[str, str]] = [
        {"key": "produsen_data", "value": org_title},
        {
            "key": "frekuensi_penerbitan" if rng.random() < 0.4 else "jadwal_pemutakhiran",
            "value": rng.choice(_FREQUENCIES),
        },
        {"key": "klasifikasi_akses", "value": rng.choice(_ACCESS)},
        {"key": "kode_wilayah", "value": "12.71"},
        {"key": "format", "value": format_value},
        {"key": "link_akses", "value": f"{PORTAL}/dataset/{name}"},
        {"key": "satuan", "value": rng.choice(_UNITS)},
        {"key": "ukuran", "value": rng.choice(_MEASURES)},
        {"key": "tahun", "value": str(year)},
        {"key": "walidata", "value": "Dinas Komunikasi dan Informatika Kota Medan"},
    ]
    if rng.random() < 0.7:
        extras.append({"key": "tanggal_dibuat", "value": created.date().isoformat()})
    if rng.random() < 0.2:
        extras.append({"key": "kategori", "value": rng.choice(("Sosial", "Ekonomi", "Lingkungan"))})
    tags = sorted({_slug(topic.split()[-1]), org_name.split("-")[-1], "medan"})
    resources = []
    for number, fmt in enumerate(formats):
        resource_id = _uuid("resource", seed, index, number)
        resource: dict[str, Any] = {
            "id": resource_id,
            "package_id": package_id,
            "name": f"{topic} {year} ({fmt.upper()})",
            "url": f"{PORTAL}/dataset/{package_id}/resource/{resource_id}/download/data.{fmt}",
            "format": fmt.upper(),
            "description": f"{topic} {breakdown.lower()}, {year}.",
            "size": rng.randrange(2_000, 900_000),
            "last_modified": _ckan_time(modified),
        }
        resources.append(resource)
    kecamatan = rng.choice(_KECAMATAN)
    return {
        "id": package_id,
        "name": name,
        "title": title,
        "notes": (
            f"Data {topic.lower()} {breakdown.lower()} di Kota Medan tahun {year}, "
            f"termasuk Kecamatan {kecamatan}. Sumber: {org_title}."
        ),
        "type": "dataset",
        "state": "active",
        "private": False,
        "owner_org": org_id,
        "organization": {
            "id": org_id,
            "name": org_name,
            "title": org_title,
            "type": "organization",
        },
        "tags": [{"name": tag, "display_name": tag} for tag in tags],
        "groups": [],
        "extras": extras,
        "license_id": rng.choice(_LICENSES),
        "metadata_created": _ckan_time(created),
        "metadata_modified": _ckan_time(modified),
        "num_resources": len(resources),
        "num_tags": len(tags),
        "resources": resources,
    }


def iter_packages(n: int, *, seed: int, start: int = 0) -> Iterator[dict[str, Any]]:
    """Packages ``start`` .. ``start + n - 1`` of the generated catalogue ``seed``."""
    for index in range(start, start + n):
        yield package(index, seed=seed)


def make_packages(n: int, *, seed: int, start: int = 0) -> list[dict[str, Any]]:
    """A list of ``n`` realistic Kota Medan CKAN packages (deterministic per index)."""
    return list(iter_packages(n, seed=seed, start=start))


# -- the catalogue ---------------------------------------------------------------------


@dataclass(slots=True)
class _Entry:
    id: str
    name: str
    organization: str
    tags: frozenset[str]
    modified: str
    created: str
    body: bytes


def _entry(pkg: Mapping[str, Any]) -> _Entry:
    org = pkg.get("organization")
    org_name = str(org.get("name", "")) if isinstance(org, Mapping) else ""
    tags = frozenset(str(t.get("name")) for t in pkg.get("tags") or [] if isinstance(t, Mapping))
    return _Entry(
        id=str(pkg["id"]),
        name=str(pkg.get("name") or pkg["id"]),
        organization=org_name,
        tags=tags,
        modified=str(pkg.get("metadata_modified") or ""),
        created=str(pkg.get("metadata_created") or ""),
        # a lone surrogate (a title cut inside an emoji) goes out as its JSON escape
        # "\ud83d", as a portal sends it
        body=json.dumps(pkg, ensure_ascii=False, separators=(",", ":")).encode(
            "utf-8", "backslashreplace"
        ),
    )


class _QueryError(ValueError):
    pass


_TERM = re.compile(
    r"""\s*(?P<field>[a-z_]+):(?P<value>"(?:[^"\\]|\\.)*"|[\[{][^\]}]*[\]}]|\([^)]*\)|[^\s()]+)"""
)


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return re.sub(r"\\(.)", r"\1", value[1:-1])
    return value


def _time_key(value: str) -> str:
    """A comparable form of an ISO timestamp (naive UTC, microseconds)."""
    if value == "*":
        return value
    moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return _ckan_time(moment)


Predicate = Any  # Callable[[_Entry], bool]; kept loose for the tiny parser


def _term(field_name: str, raw: str) -> Predicate:
    attrs = {"organization": "organization", "name": "name", "id": "id"}
    if raw[:1] in "[{":
        match = re.fullmatch(r"([\[{])\s*(\S+)\s+TO\s+(\S+)\s*([\]}])", raw)
        if match is None:
            raise _QueryError(f"cannot parse range {raw}")
        low_incl, low, high, high_incl = match.groups()
        low, high = _unquote(low), _unquote(high)
        if field_name in ("metadata_modified", "metadata_created"):
            low, high = _time_key(low), _time_key(high)
            attr = "modified" if field_name == "metadata_modified" else "created"
        elif field_name in ("id", "name"):
            attr = field_name
        else:
            raise _QueryError(f"unsupported range field {field_name}")

        def in_range(e: _Entry) -> bool:
            value = getattr(e, attr)
            if low != "*" and (value < low or (low_incl == "{" and value == low)):
                return False
            return not (high != "*" and (value > high or (high_incl == "}" and value == high)))

        return in_range
    if raw.startswith("("):
        values = {_unquote(v.strip()) for v in re.split(r"\s+OR\s+", raw[1:-1].strip())}
    else:
        values = {_unquote(raw)}
    if field_name == "tags":
        return lambda e: bool(e.tags & values)
    if field_name in attrs:
        attr = attrs[field_name]
        return lambda e: getattr(e, attr) in values
    raise _QueryError(f"unsupported field {field_name}")


def _parse_fq(fq: str) -> list[Predicate]:
    """Clauses that must all hold; each a predicate (an OR of terms)."""
    clauses: list[Predicate] = []
    text = fq.strip()
    pos = 0
    while pos < len(text):
        while pos < len(text) and text[pos] in " +":
            pos += 1
        if text.startswith("AND ", pos):
            pos += 4
            continue
        if pos >= len(text):
            break
        if text[pos] == "(":
            depth, end = 0, pos
            for end in range(pos, len(text)):
                depth += {"(": 1, ")": -1}.get(text[end], 0)
                if depth == 0:
                    break
            inner = text[pos + 1 : end]
            terms = [t for t in re.split(r"\s+OR\s+", inner.strip()) if t]
            preds = []
            for term in terms:
                match = _TERM.fullmatch(term)
                if match is None:
                    raise _QueryError(f"cannot parse {term!r}")
                preds.append(_term(match["field"], match["value"]))
            clauses.append(lambda e, preds=preds: any(p(e) for p in preds))
            pos = end + 1
            continue
        match = _TERM.match(text, pos)
        if match is None:
            raise _QueryError(f"cannot parse {text[pos:]!r}")
        clauses.append(_term(match["field"], match["value"]))
        pos = match.end()
    return clauses


@dataclass(frozen=True)
class RecordedRequest:
    """One request the fixture received (headers with lower-case names)."""

    method: str
    path: str
    action: str | None
    query: dict[str, str]
    headers: dict[str, str]


@dataclass
class _Reply:
    status: int
    body: bytes
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.server.fixture._handle(self)

    def do_POST(self) -> None:
        self.server.fixture._handle(self)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, fixture: CkanFixture, host: str, port: int) -> None:
        super().__init__((host, port), _Handler)
        self.fixture = fixture

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that time out or hang up are part of the tests


class CkanFixture:
    """A CKAN Action API on 127.0.0.1 serving an in-memory catalogue (see module doc)."""

    def __init__(
        self,
        datasets: Iterable[Mapping[str, Any]] = (),
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        record_requests: bool = True,
    ) -> None:
        self._lock = threading.RLock()
        self._entries: dict[str, _Entry] = {}
        self._by_name: dict[str, str] = {}
        self._version = 0
        self._cache: dict[tuple[Any, ...], list[_Entry]] = {}
        # whole package_search replies by query, kept when ``prebuilt_pages`` is on
        self._pages: dict[tuple[str, ...], bytes] = {}
        self.organizations: dict[str, dict[str, Any]] = {}
        for pkg in datasets:
            self._put(pkg)
        self.host = host
        self.port = port
        self.record_requests = record_requests
        self.requests: list[RecordedRequest] = []
        self.in_flight = 0
        self.max_in_flight = 0
        # switches
        self.fail_500_times = 0
        self.rate_limit_429_times = 0
        self.retry_after: float = 1
        self.slow_seconds = 0.0
        self.truncate_next = 0
        self.html_200_next = 0
        self.repeat_page = False
        self.wrong_count: int | None = None
        self.insert_while_paging: dict[str, Any] | None = None
        self.disable_package_search = False
        self.broken_package_search = False
        self.disable_current_package_list = False
        self.disable_package_list = False
        self.disable_organization_show = False
        self.empty = False
        self.max_rows = MAX_ROWS
        self.junk_items: list[Any] = []
        self.envelope: Literal["ckan", "status_message"] = "ckan"
        # keep each package_search reply once built and serve it again from memory (the
        # benchmarks: the client is measured, not the page building); any change to the
        # catalogue drops them
        self.prebuilt_pages = False
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------

    def start(self) -> CkanFixture:
        if self._server is None:
            self._server = _Server(self, self.host, self.port)
            self.port = self._server.server_address[1]
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                kwargs={"poll_interval": 0.05},
                name="ckan-fixture",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> CkanFixture:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """The site root, e.g. ``http://127.0.0.1:40123`` (the API is under /api/3/action)."""
        if not self.port:
            raise RuntimeError("the fixture has not been started")
        return f"http://{self.host}:{self.port}"

    # -- data --------------------------------------------------------------------------

    def _put(self, pkg: Mapping[str, Any]) -> None:
        entry = _entry(pkg)
        org = pkg.get("organization")
        if isinstance(org, Mapping) and org.get("id"):
            self.organizations[str(org["id"])] = dict(org)
        old = self._entries.get(entry.id)
        if old is not None:
            self._by_name.pop(old.name, None)
        self._entries[entry.id] = entry
        self._by_name[entry.name] = entry.id
        self._version += 1
        self._cache.clear()
        self._pages.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def ids(self) -> list[str]:
        with self._lock:
            return list(self._entries)

    def get_package(self, id_or_name: str) -> dict[str, Any]:
        with self._lock:
            entry = self._find(id_or_name)
            if entry is None:
                raise KeyError(id_or_name)
            data: dict[str, Any] = json.loads(entry.body)
            return data

    def add_package(self, pkg: Mapping[str, Any]) -> None:
        """Add (or replace, by id) a package."""
        with self._lock:
            self._put(pkg)

    def add_organization(self, org: Mapping[str, Any]) -> None:
        """Make an organization (``id``, ``name``, ``title``) known to organization_show."""
        with self._lock:
            self.organizations[str(org["id"])] = dict(org)

    def update_package(self, id_or_name: str, **changes: Any) -> dict[str, Any]:
        """Change fields of a package; ``metadata_modified`` becomes now (unless given)."""
        with self._lock:
            pkg = self.get_package(id_or_name)
            pkg.update(changes)
            if "metadata_modified" not in changes:
                pkg["metadata_modified"] = _ckan_time(dt.datetime.now(dt.UTC).replace(tzinfo=None))
            self._put(pkg)
            return pkg

    def delete_package(self, id_or_name: str) -> None:
        with self._lock:
            entry = self._find(id_or_name)
            if entry is None:
                raise KeyError(id_or_name)
            del self._entries[entry.id]
            self._by_name.pop(entry.name, None)
            self._version += 1
            self._cache.clear()
            self._pages.clear()

    def clear_requests(self) -> None:
        with self._lock:
            self.requests.clear()

    def requests_for(self, action: str) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.action == action]

    def _find(self, id_or_name: str) -> _Entry | None:
        entry = self._entries.get(id_or_name)
        if entry is None and id_or_name in self._by_name:
            entry = self._entries.get(self._by_name[id_or_name])
        return entry

    def _take(self, switch: str) -> bool:
        """Consume one unit of a counting switch; True when it fired."""
        with self._lock:
            left = int(getattr(self, switch))
            if left > 0:
                setattr(self, switch, left - 1)
                return True
            return False

    def _sorted(self, sort: str) -> list[_Entry]:
        key = ("sort", sort)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        entries = list(self._entries.values())
        for part in reversed([p.strip() for p in sort.split(",") if p.strip()]):
            bits = part.split()
            name = bits[0]
            direction = bits[1].lower() if len(bits) > 1 else "asc"
            attr = {
                "id": "id",
                "name": "name",
                "metadata_modified": "modified",
                "metadata_created": "created",
                "score": None,
            }.get(name, "missing")
            if attr == "missing":
                raise _QueryError(f"sort param field can't be found: {name}")
            if attr is None:
                continue
            entries.sort(key=operator.attrgetter(attr), reverse=direction == "desc")
        self._cache[key] = entries
        return entries

    def _search(self, q: str, fq: str, sort: str) -> list[_Entry]:
        key = ("search", q, fq, sort)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        entries = self._sorted(sort)
        predicates = _parse_fq(fq) if fq.strip() else []
        words = [] if q.strip() in ("", "*:*") else q.lower().split()
        if predicates:
            entries = [e for e in entries if all(p(e) for p in predicates)]
        if words:
            entries = [e for e in entries if _matches_words(e, words)]
        if len(self._cache) > 32:
            self._cache.clear()
        self._cache[key] = entries
        return entries

    # -- HTTP ----------------------------------------------------------------------------

    def _handle(self, handler: _Handler) -> None:
        parts = urlsplit(handler.path)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        length = int(handler.headers.get("Content-Length") or 0)
        if length:
            raw = handler.rfile.read(length)
            try:
                body = json.loads(raw) if raw.strip() else {}
            except ValueError:
                body = None
            if isinstance(body, dict):
                query.update(
                    {k: v if isinstance(v, str) else json.dumps(v) for k, v in body.items()}
                )
        match = re.fullmatch(r"/api/(?:3/)?action/([A-Za-z_]+)/?", parts.path)
        action = match.group(1) if match else None
        if self.record_requests:
            recorded = RecordedRequest(
                method=handler.command,
                path=parts.path,
                action=action,
                query=query,
                headers={k.lower(): v for k, v in handler.headers.items()},
            )
            with self._lock:
                self.requests.append(recorded)
        with self._lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.slow_seconds > 0:
                time.sleep(self.slow_seconds)
            reply = self._reply(action, query)
            self._send(handler, reply)
        finally:
            with self._lock:
                self.in_flight -= 1

    def _reply(self, action: str | None, query: dict[str, str]) -> _Reply:
        if self._take("fail_500_times"):
            return _Reply(
                500,
                b"<html><body><h1>500 Internal Server Error</h1></body></html>",
                "text/html; charset=utf-8",
            )
        if self._take("rate_limit_429_times"):
            return _Reply(
                429,
                b'"Too many requests"',
                headers={"Retry-After": f"{self.retry_after:g}"},
            )
        if self._take("html_200_next"):
            return _Reply(
                200,
                b"<!DOCTYPE html><html><head><title>Maintenance</title></head><body>"
                b"<h1>Portal sedang dalam pemeliharaan</h1><p>Silakan coba lagi nanti.</p>"
                b"</body></html>",
                "text/html; charset=utf-8",
            )
        if action is None:
            return _Reply(404, b"<html><body>Not Found</body></html>", "text/html")
        handler = getattr(self, f"_action_{action}", None)
        disabled = (
            (action == "package_search" and self.disable_package_search)
            or (
                action == "current_package_list_with_resources"
                and self.disable_current_package_list
            )
            or (action == "package_list" and self.disable_package_list)
            or (action == "organization_show" and self.disable_organization_show)
        )
        if handler is None or disabled:
            message = json.dumps(f"Bad request - Action name not known: {action}")
            return _Reply(400, message.encode())
        try:
            with self._lock:
                return handler(action, query)  # type: ignore[no-any-return]
        except _QueryError as exc:
            return self._error(action, 409, "Search Query Error", f"Search error: {exc}")
        except (TypeError, ValueError) as exc:
            return self._error(action, 409, "Validation Error", str(exc))

    def _envelope(self, action: str, result: bytes) -> bytes:
        if self.envelope == "status_message":
            return b'{"status":"200 OK","message":"Success","result":' + result + b"}"
        help_url = f"{self.url}/api/3/action/help_show?name={action}".encode()
        return b'{"help":"' + help_url + b'","success":true,"result":' + result + b"}"

    def _error(self, action: str, status: int, kind: str, message: str) -> _Reply:
        body: dict[str, Any]
        if self.envelope == "status_message":
            body = {"status": f"{status} Error", "message": message, "result": None}
        else:
            body = {
                "help": f"{self.url}/api/3/action/help_show?name={action}",
                "success": False,
                "error": {"__type": kind, "message": message},
            }
        return _Reply(status, json.dumps(body).encode())

    def _after_page(self, start: int) -> None:
        if start == 0 and self.insert_while_paging is not None:
            pkg, self.insert_while_paging = self.insert_while_paging, None
            self._put(pkg)

    def prebuild_pages(self, *, rows: int = MAX_ROWS, sort: str = "id asc", q: str = "*:*") -> int:
        """Build every ``package_search`` reply of the listing ``q``/``sort`` paged by
        ``rows`` (the empty page after the last one included) and keep them in memory, so
        that serving them costs no page building; returns how many. Turns
        :attr:`prebuilt_pages` on."""
        with self._lock:
            self.prebuilt_pages = True
            count = len(self._search(q, "", sort))
            pages = 0
            for start in range(0, count + rows, rows):
                query = {"q": q, "sort": sort, "rows": str(rows), "start": str(start)}
                self._action_package_search("package_search", query)
                pages += 1
                if start >= count:
                    break
            return pages

    def _action_package_search(self, action: str, query: dict[str, str]) -> _Reply:
        key: tuple[str, ...] = ()
        page_switches = (
            self.repeat_page,
            self.insert_while_paging,
            self.junk_items,
            self.wrong_count is not None,
            self.empty,
            self.broken_package_search,
        )
        if self.prebuilt_pages and not any(page_switches):
            key = (self.envelope, *(query.get(k, "") for k in ("rows", "start", "sort", "q", "fq")))
            body = self._pages.get(key)
            if body is not None:
                return _Reply(200, body)
        reply = self._build_package_search(action, query)
        if key and reply.status == 200:
            self._pages[key] = reply.body
        return reply

    def _build_package_search(self, action: str, query: dict[str, str]) -> _Reply:
        rows = min(max(int(query.get("rows", 10)), 0), self.max_rows)
        start = max(int(query.get("start", 0)), 0)
        sort = query.get("sort") or "metadata_modified desc"
        entries = [] if self.empty else self._search(query.get("q", ""), query.get("fq", ""), sort)
        count = len(entries) if self.wrong_count is None else self.wrong_count
        first = 0 if self.repeat_page else start
        junk = [json.dumps(item).encode() for item in self.junk_items]
        count += len(junk) if self.wrong_count is None else 0
        # junk items take the first places of the listing
        items = junk[first : first + rows]
        skip = max(first - len(junk), 0)
        items += [e.body for e in entries[skip : skip + rows - len(items)]]
        if self.broken_package_search:
            result = b'{"count":%d,"results":{"error":"index unavailable"}}' % count
        else:
            result = (
                b'{"count":%d,"sort":%s,"results":[' % (count, json.dumps(sort).encode())
                + b",".join(items)
                + b'],"facets":{},"search_facets":{}}'
            )
        reply = _Reply(200, self._envelope(action, result))
        self._after_page(start)
        return reply

    def _action_current_package_list_with_resources(
        self, action: str, query: dict[str, str]
    ) -> _Reply:
        limit = min(max(int(query.get("limit", self.max_rows)), 0), self.max_rows)
        offset = max(int(query.get("offset", 0)), 0)
        if "page" in query and "offset" not in query:
            offset = (max(int(query["page"]), 1) - 1) * limit
        entries = [] if self.empty else self._sorted("metadata_modified desc")
        first = 0 if self.repeat_page else offset
        page = entries[first : first + limit]
        reply = _Reply(200, self._envelope(action, b"[" + b",".join(e.body for e in page) + b"]"))
        self._after_page(offset)
        return reply

    def _action_package_list(self, action: str, query: dict[str, str]) -> _Reply:
        names = [] if self.empty else sorted(self._by_name)
        offset = max(int(query.get("offset", 0)), 0)
        if "limit" in query:
            names = names[offset : offset + max(int(query["limit"]), 0)]
        elif offset:
            names = names[offset:]
        return _Reply(200, self._envelope(action, json.dumps(names).encode()))

    def _action_package_show(self, action: str, query: dict[str, str]) -> _Reply:
        entry = None if self.empty else self._find(query.get("id", ""))
        if entry is None:
            return self._error(action, 404, "Not Found Error", "Not found")
        return _Reply(200, self._envelope(action, entry.body))

    def _action_organization_show(self, action: str, query: dict[str, str]) -> _Reply:
        wanted = query.get("id", "")
        for org in self.organizations.values():
            if wanted in (org.get("id"), org.get("name")):
                return _Reply(200, self._envelope(action, json.dumps(org).encode()))
        return self._error(action, 404, "Not Found Error", "Not found")

    def _action_status_show(self, action: str, query: dict[str, str]) -> _Reply:
        status = {
            "site_title": "Satu Data Kota Medan (fixture)",
            "site_description": "",
            "site_url": self.url,
            "ckan_version": "2.12.0",
            "error_emails_to": None,
            "locale_default": "id",
            "extensions": ["activity"],
        }
        return _Reply(200, self._envelope(action, json.dumps(status).encode()))

    def _send(self, handler: _Handler, reply: _Reply) -> None:
        truncate = reply.status == 200 and self._take("truncate_next")
        try:
            handler.send_response(reply.status)
            handler.send_header("Content-Type", reply.content_type)
            handler.send_header("Content-Length", str(len(reply.body)))
            for name, value in reply.headers.items():
                handler.send_header(name, value)
            if truncate:
                handler.send_header("Connection", "close")
            handler.end_headers()
            if truncate:
                handler.wfile.write(reply.body[: len(reply.body) // 2])
                handler.wfile.flush()
                handler.close_connection = True
            else:
                handler.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            handler.close_connection = True


def _matches_words(entry: _Entry, words: list[str]) -> bool:
    pkg = json.loads(entry.body)
    org = pkg.get("organization") or {}
    text = " ".join(
        [
            str(pkg.get("name", "")),
            str(pkg.get("title", "")),
            str(pkg.get("notes", "") or ""),
            " ".join(entry.tags),
            str(org.get("title", "")) if isinstance(org, dict) else "",
        ]
    ).lower()
    return all(word in text for word in words)


def main(argv: list[str] | None = None) -> int:
    """Serve a generated catalogue until SIGTERM or Ctrl-C; stdout's first line is the URL."""
    parser = argparse.ArgumentParser(description="Serve generated CKAN packages.")
    parser.add_argument("--datasets", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument(
        "--prebuilt-pages",
        action="store_true",
        help="build every package_search page (rows=1000, sort=id asc, q=*:*) before "
        "printing the URL and serve each reply from memory",
    )
    args = parser.parse_args(argv)
    fixture = CkanFixture(
        datasets=iter_packages(args.datasets, seed=args.seed),
        port=args.port,
        record_requests=False,
    )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda _signum, _frame: stop.set())
    with fixture:
        if args.prebuilt_pages:
            fixture.prebuild_pages()
        print(fixture.url, flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            stop.wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
