"""Rules of the standard that JSON Schema cannot express.

Each rule has a stable id (used in every output format, in SARIF's rule table
and in a profile's ``rules:`` overrides), a default severity and a bilingual
title. Rules read the record and write canonical values into the normalised
copy the catalogue stores (``Tahunan`` -> ``tahunan``, ``1271`` -> ``12.71``,
``28/11/2026`` -> ``2026-11-28``).
"""

from __future__ import annotations

import ipaddress
import mimetypes
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from satudata_cli.standard.findings import Finding, Message, Severity, json_path
from satudata_cli.standard.profiles import Profile
from satudata_cli.standard.regions import RegionVerdict, within
from satudata_cli.standard.regions import check_region as classify_region
from satudata_cli.standard.ruleset import RULES as RULES
from satudata_cli.standard.ruleset import known_rule as known_rule
from satudata_cli.standard.schema import Standard
from satudata_cli.standard.vocabularies import Vocabulary

# --- helpers -------------------------------------------------------------------------------

_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
_HOST = re.compile(
    r"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$"
)
_SPACE = re.compile(r"\s")  # the same code points as str.isspace
# The common shape of a URL, ``scheme://host[:port][/path][?query][#fragment]`` in
# printable ASCII without blanks, whose verdict in valid_url is "valid" without the
# cost of urlsplit: a scheme valid_url accepts (urlsplit lower-cases it), a host name
# that _HOST accepts, a port of at most four digits (always in range), and nothing
# urlsplit treats specially in the netloc (no userinfo, brackets, percent signs).
# ``path`` is what urlsplit gives as the path. Anything else goes the long way.
_FAST_URL = re.compile(
    r"(?:[Hh][Tt][Tt][Pp][Ss]?|[Ff][Tt][Pp][Ss]?)://"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?::[0-9]{1,4})?"
    r"(?P<path>/[\x21\x22\x24-\x3e\x40-\x7e]*)?"
    r"(?:[?#][\x21-\x7e]*)?"
)
_KODE_STANDAR = re.compile(r"^[A-Za-z]{1,2}\.?\d{5}\.?\d{2}\.?\d{2}$", re.ASCII)
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("januari", "january", "jan"),
            ("februari", "february", "feb", "pebruari"),
            ("maret", "march", "mar"),
            ("april", "apr"),
            ("mei", "may"),
            ("juni", "june", "jun"),
            ("juli", "july", "jul"),
            ("agustus", "august", "agu", "agt", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "october", "okt", "oct"),
            ("november", "nopember", "nov"),
            ("desember", "december", "des", "dec"),
        ),
        start=1,
    )
    for name in names
}
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$", re.ASCII)
_YMD_SLASH = re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$", re.ASCII)
_D_MONTH_Y = re.compile(r"^(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})$", re.ASCII)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)


def short(value: Any, limit: int = 60) -> str:
    text = value if isinstance(value, str) else repr(value)
    if "\n" in text:
        text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, dict)):
        return len(value) == 0
    return False


@dataclass(frozen=True, slots=True)
class ParsedDate:
    value: date
    canonical: str  # ISO form to store
    iso: bool  # was it written in ISO 8601 already


def parse_date(raw: str) -> ParsedDate | None:
    """ISO 8601 dates and date-times; common Indonesian forms are tolerated."""
    if type(raw) is str and len(raw) <= 64:  # dates repeat a lot; the verdict is immutable
        return _parse_date_cached(raw)
    return _parse_date(raw)


@lru_cache(maxsize=8192)
def _parse_date_cached(raw: str) -> ParsedDate | None:
    return _parse_date(raw)


def _parse_date(raw: str) -> ParsedDate | None:
    text = raw.strip()
    if _ISO_DATE.match(text):
        try:
            return ParsedDate(date.fromisoformat(text), text, True)
        except ValueError:
            return None
    if len(text) > 10 and text[:4].isascii() and text[:4].isdigit() and text[4] == "-":
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
        return ParsedDate(moment.date(), text, True)
    day = month = year = None
    if m := _DMY.match(text):
        day, month, year = int(m[1]), int(m[2]), int(m[3])
    elif m := _YMD_SLASH.match(text):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif m := _D_MONTH_Y.match(text):
        day, year = int(m[1]), int(m[3])
        month = _MONTHS.get(m[2].lower())
    if day is None or month is None or year is None:
        return None
    try:
        parsed = date(year, month, day)
    except ValueError:
        return None
    return ParsedDate(parsed, parsed.isoformat(), False)


def valid_url(raw: str) -> bool:
    if _FAST_URL.fullmatch(raw) is not None:
        return True
    text = raw.strip()
    if text != raw or _SPACE.search(text):
        return False
    try:
        parts = urlsplit(text)
        port = parts.port  # raises on a bad port
    except ValueError:
        return False
    del port
    if parts.scheme not in ("http", "https", "ftp", "ftps"):
        return False
    host = parts.hostname
    if not host:
        return False
    if ":" in host:  # an IPv6 literal; urlsplit has removed its brackets
        try:
            ipaddress.IPv6Address(host.split("%", 1)[0])
        except ValueError:
            return False
        return True
    ascii_host = host
    if not host.isascii():
        try:
            ascii_host = host.encode("idna").decode("ascii")  # internationalised names
        except UnicodeError:
            return False
    return bool(_HOST.match(ascii_host))


def valid_email(raw: str) -> bool:
    text = raw.strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    return len(text) <= 254 and bool(_EMAIL.match(text))


# --- the rule engine -------------------------------------------------------------------------


def _severities(profile: Profile) -> dict[str, Severity | None]:
    """Each rule's severity under the profile (None: switched off), made once per profile."""
    # kept on the (frozen, immutable) profile itself, like the plan of check_required
    cached = profile.__dict__.get("_severities")
    if cached is None or len(cached) != len(RULES):
        cached = {rule: profile.severity(rule, info.severity) for rule, info in RULES.items()}
        profile.__dict__["_severities"] = cached
    return cached


class RuleContext:
    """What rules read (the record, the profile, today) and where they write findings."""

    def __init__(
        self, standard: Standard, profile: Profile, today: date, record: Mapping[str, Any]
    ) -> None:
        self.standard = standard
        self.profile = profile
        self.today = today
        self.record = record
        self.normalized: dict[str, Any] = dict(record)
        self.findings: list[Finding] = []
        self.handled_paths: set[str] = set()
        # the URL path of each resource URL that valid_url's fast path has split
        self.url_paths: dict[str, str] = {}
        self._severities = _severities(profile)

    def add(
        self,
        rule: str,
        path: str,
        id_text: str,
        en_text: str,
        suggestion: str | None = None,
    ) -> None:
        severity = self._severities[rule]
        if severity is None:
            return
        self.findings.append(
            Finding(rule, severity, path, Message(id_text, en_text), suggestion=suggestion)
        )


_FIELD_PATHS: dict[str, str] = {}


def _field_path(name: str) -> str:
    """``json_path([name])`` for a top-level field, made once per name."""
    path = _FIELD_PATHS.get(name)
    if path is None:
        path = json_path([name])
        if len(_FIELD_PATHS) < 1024:
            _FIELD_PATHS[name] = path
    return path


def _vocab_value(
    ctx: RuleContext, vocab: Vocabulary, field: str, raw: Any, index: int | None = None
) -> str | None:
    """Check one vocabulary value (item ``index`` of a list field); its canonical form."""
    if not isinstance(raw, str):
        return None
    match = vocab.match(raw)
    path = _field_path(field) if index is None else f"{_field_path(field)}[{index}]"
    if match.canonical is None:
        known = ", ".join(vocab.values)
        if vocab.name == "lisensi":  # no licence list is mandated: a warning
            ctx.add(
                "license.unknown",
                path,
                f"Id lisensi '{short(raw)}' tidak dikenal; gunakan id lisensi CKAN "
                "(daftarnya: satudata schema show license_id)",
                f"Licence id '{short(raw)}' is not known; use a CKAN licence id "
                "(see: satudata schema show license_id)",
            )
        elif vocab.name == "format":
            ctx.add(
                "format.unknown",
                path,
                f"Format '{short(raw)}' tidak dikenal (dikenal: {known})",
                f"Format '{short(raw)}' is not known (known: {known})",
            )
        else:
            ctx.add(
                "vocab.unknown",
                path,
                f"{vocab.title.id} '{short(raw)}' tidak dikenal; nilai baku: {known}",
                f"{vocab.title.en} '{short(raw)}' is not known; canonical values: {known}",
            )
        return None
    canonical = match.canonical
    if not match.exact:
        ctx.add(
            "vocab.variant",
            path,
            f"'{short(raw)}' diterima sebagai '{canonical}'; tulis nilai baku '{canonical}'",
            f"'{short(raw)}' is accepted as '{canonical}'; write the canonical '{canonical}'",
            suggestion=canonical,
        )
    allowed = ctx.profile.vocabularies.get(field)
    if allowed is not None and canonical not in allowed:
        ctx.add(
            "vocab.not-allowed",
            path,
            f"'{canonical}' tidak diizinkan oleh profil {ctx.profile.name} "
            f"(diizinkan: {', '.join(allowed)})",
            f"'{canonical}' is not allowed by profile {ctx.profile.name} "
            f"(allowed: {', '.join(allowed)})",
        )
    return canonical


def check_vocabularies(ctx: RuleContext) -> None:
    record = ctx.record
    profile_vocabularies = ctx.profile.vocabularies
    for name, vocab in ctx.standard.vocabulary_fields:
        if name not in record:
            continue
        value = record[name]
        # the common case is checked here, without a call: the canonical value itself,
        # allowed by the profile; anything else goes through _vocab_value
        allowed = profile_vocabularies.get(name)
        if isinstance(value, list):
            out = []
            for i, item in enumerate(value):
                canonical = None
                if isinstance(item, str):
                    canonical = vocab.match(item).canonical
                    if (
                        canonical is None
                        or item != canonical
                        or (allowed is not None and canonical not in allowed)
                    ):
                        canonical = _vocab_value(ctx, vocab, name, item, i)
                out.append(canonical if canonical is not None else item)
            ctx.normalized[name] = (
                list(dict.fromkeys(out)) if all(isinstance(v, str) for v in out) else out
            )
        elif isinstance(value, str) and value.strip():
            canonical = vocab.match(value).canonical
            if (
                canonical is None
                or value != canonical
                or (allowed is not None and canonical not in allowed)
            ):
                canonical = _vocab_value(ctx, vocab, name, value)
            if canonical is not None:
                ctx.normalized[name] = canonical


@dataclass(frozen=True, slots=True)
class _Requirement:
    """One required or recommended field, with its finding made once per profile."""

    parts: tuple[str, ...]
    path: str
    finding: Finding | None  # None when the profile switched the rule off
    key: str | None  # the field, when it is a top-level one (no dots)


def _requirements(standard: Standard, profile: Profile) -> tuple[_Requirement, ...]:
    # kept on the (frozen, immutable) profile itself, for the standard it was made with
    cached = profile.__dict__.get("_requirements")
    if cached is not None and cached[0] is standard:
        return cached[1]  # type: ignore[no-any-return]
    out = []
    for dotted, rule in (
        *((d, "field.required") for d in profile.required),
        *((d, "field.recommended") for d in profile.recommended),
    ):
        parts = tuple(dotted.split("."))
        field = standard.fields.get(parts[0])
        label_id = f" ({field.title.id})" if field is not None and len(parts) == 1 else ""
        label_en = f" ({field.title.en})" if field is not None and len(parts) == 1 else ""
        if rule == "field.required":
            message = Message(
                f"Kolom wajib '{dotted}'{label_id} tidak diisi (profil {profile.name})",
                f"Required field '{dotted}'{label_en} is missing (profile {profile.name})",
            )
        else:
            message = Message(
                f"Kolom yang dianjurkan '{dotted}'{label_id} tidak diisi",
                f"Recommended field '{dotted}'{label_en} is missing",
            )
        severity = profile.severity(rule, RULES[rule].severity)
        path = json_path(parts)
        finding = Finding(rule, severity, path, message) if severity is not None else None
        out.append(_Requirement(parts, path, finding, parts[0] if len(parts) == 1 else None))
    plan = tuple(out)
    profile.__dict__["_requirements"] = (standard, plan)
    return plan


def check_required(ctx: RuleContext) -> None:
    record = ctx.record
    get = record.get
    for req in _requirements(ctx.standard, ctx.profile):
        key = req.key
        if key is not None:
            value = get(key)
            # is_blank, inlined for None and the common exact types
            if value is None:
                pass
            elif type(value) is str:
                if value.strip():
                    continue
            elif type(value) is list or type(value) is dict:
                if value:
                    continue
            elif not is_blank(value):
                continue
        else:
            parts = req.parts
            # a nested field is reported only when its parent is there (the parent has
            # its own finding otherwise)
            parent: Any = record
            for part in parts[:-1]:
                parent = parent.get(part) if isinstance(parent, Mapping) else None
            if not isinstance(parent, Mapping) or is_blank(parent):
                continue
            if not is_blank(parent.get(parts[-1])):
                continue
        ctx.handled_paths.add(req.path)
        if req.finding is not None:
            ctx.findings.append(req.finding)


def check_unknown_fields(ctx: RuleContext) -> None:
    fields = ctx.standard.fields
    for key in ctx.record:
        if key in fields:
            continue
        target = ctx.standard.field_for_label(key) if isinstance(key, str) else None
        path = json_path([str(key)])
        if target is not None:
            ctx.add(
                "field.unknown",
                path,
                f"Kolom '{short(key)}' di luar standar tetap disimpan; maksudnya '{target}'?",
                f"Field '{short(key)}' is outside the standard and kept; did you mean '{target}'?",
                suggestion=target,
            )
        else:
            ctx.add(
                "field.unknown",
                path,
                f"Kolom '{short(key)}' di luar standar tetap disimpan",
                f"Field '{short(key)}' is outside the standard and kept",
            )


def _date_field(ctx: RuleContext, path: str, raw: Any) -> ParsedDate | None:
    if not isinstance(raw, str) or not raw.strip():
        return None
    parsed = parse_date(raw)
    if parsed is None:
        ctx.add(
            "tanggal.invalid",
            path,
            f"'{short(raw)}' bukan tanggal yang dapat dibaca; gunakan TTTT-BB-HH (mis. 2026-01-31)",
            f"'{short(raw)}' is not a readable date; use YYYY-MM-DD (e.g. 2026-01-31)",
        )
        return None
    if not parsed.iso:
        ctx.add(
            "tanggal.non-iso",
            path,
            f"Tanggal '{short(raw)}' dibaca sebagai {parsed.canonical}; "
            "tulis dalam format ISO 8601",
            f"Date '{short(raw)}' read as {parsed.canonical}; write it in ISO 8601 form",
            suggestion=parsed.canonical,
        )
    if parsed.value > ctx.today:
        ctx.add(
            "tanggal.future",
            path,
            f"Tanggal {parsed.value.isoformat()} berada di masa depan "
            f"(hari ini {ctx.today.isoformat()})",
            f"Date {parsed.value.isoformat()} is in the future (today is {ctx.today.isoformat()})",
        )
    return parsed


def check_dates(ctx: RuleContext) -> tuple[ParsedDate | None, ParsedDate | None]:
    created = _date_field(ctx, "$.tanggal_dibuat", ctx.record.get("tanggal_dibuat"))
    updated = _date_field(ctx, "$.tanggal_diperbarui", ctx.record.get("tanggal_diperbarui"))
    for name, parsed in (("tanggal_dibuat", created), ("tanggal_diperbarui", updated)):
        if parsed is not None and not parsed.iso:
            ctx.normalized[name] = parsed.canonical
    if created and updated and updated.value < created.value:
        ctx.add(
            "tanggal.order",
            "$.tanggal_diperbarui",
            f"Tanggal diperbarui {updated.value.isoformat()} lebih awal dari tanggal dibuat "
            f"{created.value.isoformat()}",
            f"Updated date {updated.value.isoformat()} is before the created date "
            f"{created.value.isoformat()}",
        )
    resources = ctx.record.get("resources")
    if isinstance(resources, list):
        for i, resource in enumerate(resources):
            if isinstance(resource, Mapping):
                modified = resource.get("last_modified")
                if isinstance(modified, str) and modified.strip():
                    _date_field(ctx, f"$.resources[{i}].last_modified", modified)
    return created, updated


def due_date(last_update: date, period_days: int, grace_days: int = 0) -> date:
    """The day by which the next update was due: the last update plus the period of the
    declared jadwal pemutakhiran (``Term.days``) plus the profile's grace days. Used by
    ``freshness.overdue`` and by the freshness report, so both judge alike."""
    return last_update + timedelta(days=period_days + grace_days)


def check_freshness(
    ctx: RuleContext, created: ParsedDate | None, updated: ParsedDate | None
) -> None:
    frequency = ctx.normalized.get("jadwal_pemutakhiran")
    if not isinstance(frequency, str):
        return
    term = ctx.standard.vocabularies["frekuensi"].terms.get(frequency)
    if updated is None and not is_blank(ctx.record.get("tanggal_diperbarui")):
        return  # an unreadable update date has its own finding; do not guess from creation
    last = updated or created
    if term is None or term.days is None or last is None or last.value > ctx.today:
        return
    due = due_date(last.value, term.days, ctx.profile.grace_days)
    if ctx.today <= due:
        return
    late = (ctx.today - due).days
    ctx.add(
        "freshness.overdue",
        "$.tanggal_diperbarui" if updated else "$.tanggal_dibuat",
        f"Terlambat diperbarui: jadwal {term.label.id.lower()}, pembaruan terakhir "
        f"{last.value.isoformat()}, jatuh tempo {due.isoformat()} ({late} hari terlambat)",
        f"Overdue for update: {term.label.en.lower()} schedule, last updated "
        f"{last.value.isoformat()}, due {due.isoformat()} ({late} days overdue)",
    )


def check_region(ctx: RuleContext) -> None:
    raw = ctx.record.get("kode_wilayah")
    if not isinstance(raw, str) or not raw.strip():
        return
    path = "$.kode_wilayah"
    result = classify_region(raw)
    value = short(raw)
    if result.verdict is RegionVerdict.MALFORMED:
        ctx.add(
            "kode-wilayah.unknown",
            path,
            f"'{value}' bukan kode wilayah Kemendagri (bentuk: 12, 12.71, 12.71.01, 12.71.01.1001)",
            f"'{value}' is not a Kemendagri region code "
            "(forms: 12, 12.71, 12.71.01, 12.71.01.1001)",
        )
        return
    if result.verdict is RegionVerdict.UNKNOWN:
        ctx.add(
            "kode-wilayah.unknown",
            path,
            f"Kode wilayah '{value}' tidak ada dalam daftar Kemendagri terbaru "
            "(Kepmendagri 300.2.2-2138/2025)",
            f"Region code '{value}' is not in the current Kemendagri list "
            "(Kepmendagri 300.2.2-2138/2025)",
        )
        return
    if result.verdict is RegionVerdict.BPS:
        ctx.add(
            "kode-wilayah.bps",
            path,
            f"'{value}' tampak seperti kode {result.bps_level} BPS, bukan kode Kemendagri; "
            "Satu Data memakai kode Kemendagri bertitik "
            "(mis. Kota Medan: BPS 1275 = Kemendagri 12.71)",
            f"'{value}' looks like a BPS {result.bps_level} code, not a Kemendagri code; "
            "Satu Data uses dotted Kemendagri codes (e.g. Kota Medan: BPS 1275 = Kemendagri 12.71)",
        )
        return
    code = result.code or raw
    if result.verdict is RegionVerdict.UNDOTTED:
        ctx.add(
            "kode-wilayah.format",
            path,
            f"'{value}' dibaca sebagai kode Kemendagri {code} ({result.name}); tulis bertitik. "
            "Periksa bahwa ini bukan kode BPS: kode BPS juga ditulis tanpa titik",
            f"'{value}' read as Kemendagri code {code} ({result.name}); write it dotted. "
            "Check that it is not a BPS code: BPS codes are also written without dots",
            suggestion=code,
        )
    ctx.normalized["kode_wilayah"] = code
    if ctx.profile.region_within and not within(code, ctx.profile.region_within):
        area = ", ".join(ctx.profile.region_within)
        ctx.add(
            "kode-wilayah.outside",
            path,
            f"Kode wilayah {code} ({result.name}) di luar wilayah profil "
            f"{ctx.profile.name} ({area})",
            f"Region code {code} ({result.name}) lies outside the area of profile "
            f"{ctx.profile.name} ({area})",
        )


def check_contacts_and_links(ctx: RuleContext) -> None:
    kontak = ctx.record.get("kontak")
    email: str | None = None
    email_path = "$.kontak"
    if isinstance(kontak, str) and kontak.strip():
        email = kontak
    elif isinstance(kontak, Mapping) and isinstance(kontak.get("email"), str):
        email, email_path = kontak["email"], "$.kontak.email"
    if email is not None and not valid_email(email):
        ctx.add(
            "email.invalid",
            email_path,
            f"'{short(email)}' bukan alamat surel yang sah (contoh: data@pemkomedan.go.id)",
            f"'{short(email)}' is not a valid e-mail address (example: data@pemkomedan.go.id)",
        )
    link = ctx.record.get("link_akses")
    if isinstance(link, str) and _FAST_URL.fullmatch(link) is None:
        _check_url(ctx, "$.link_akses", link)
    resources = ctx.record.get("resources")
    if isinstance(resources, list):
        url_paths = ctx.url_paths
        for i, resource in enumerate(resources):
            if not isinstance(resource, Mapping):
                continue
            url = resource.get("url")
            if not isinstance(url, str):
                continue
            fast = _FAST_URL.fullmatch(url)
            if fast is not None:  # valid; its path is kept for check_resource_formats
                url_paths[url] = fast["path"] or ""
            else:
                _check_url(ctx, f"$.resources[{i}].url", url)


def _check_url(ctx: RuleContext, path: str, url: str) -> None:
    if url.strip() and not valid_url(url):
        ctx.add(
            "url.invalid",
            path,
            f"'{short(url)}' bukan URL yang sah (harus http(s):// atau ftp(s):// dengan nama host)",
            f"'{short(url)}' is not a valid URL (must be http(s):// or ftp(s):// with a host name)",
        )


def _url_path(url_paths: Mapping[str, str], url: str) -> str | None:
    """The path of a resource URL: the one valid_url's fast path split (``url_paths``),
    else urlsplit's; None when the URL cannot be split at all."""
    path = url_paths.get(url)
    if path is None:
        try:
            path = urlsplit(url.strip()).path
        except ValueError:
            return None
    return path


def check_resource_formats(ctx: RuleContext) -> None:
    resources = ctx.record.get("resources")
    if not isinstance(resources, list):
        return
    vocab = ctx.standard.vocabularies["format"]
    url_paths = ctx.url_paths
    for i, resource in enumerate(resources):
        if not isinstance(resource, Mapping):
            continue
        url, declared = resource.get("url"), resource.get("format")
        if not (isinstance(url, str) and isinstance(declared, str) and declared.strip()):
            continue
        path = _url_path(url_paths, url)
        if path is None:
            continue
        name = path.rsplit("/", 1)[-1]
        if "." not in name:
            continue
        by_ext = vocab.by_extension(name.rsplit(".", 1)[-1])
        if by_ext is None:
            continue
        canonical = vocab.match(declared).canonical
        if canonical is None or by_ext == canonical:
            continue
        ctx.add(
            "resource.format-mismatch",
            f"$.resources[{i}].format",
            f"Format '{short(declared)}' bertentangan dengan ekstensi berkas '{short(name)}' "
            f"(tampaknya {by_ext})",
            f"Format '{short(declared)}' contradicts the file extension of '{short(name)}' "
            f"(looks like {by_ext})",
            suggestion=by_ext,
        )


#: Python's built-in table of media types and file extensions (not the machine's
#: /etc/mime.types, so the rule answers the same everywhere).
_MEDIA_TYPES = mimetypes.MimeTypes()


@lru_cache(maxsize=1024)
def _media_extensions(media_type: str) -> frozenset[str]:
    """The file extensions (lower case, no dot) of a media type; empty when unknown."""
    return frozenset(
        ext.lstrip(".").lower()
        for ext in _MEDIA_TYPES.guess_all_extensions(media_type, strict=False)
    )


@lru_cache(maxsize=1024)
def _known_extension(ext: str) -> bool:
    """Whether the built-in table knows the extension (``.png`` yes, ``.php`` no)."""
    return _MEDIA_TYPES.guess_type(f"x.{ext}", strict=False)[0] is not None


def _format_extensions(vocab: Vocabulary, declared: str) -> tuple[str, ...]:
    """The file extensions a declared format stands for: its term's, else the format
    itself when the built-in table knows it as an extension; empty for neither."""
    canonical = vocab.match(declared).canonical
    term = vocab.terms.get(canonical) if canonical else None
    if term is not None and term.extensions:
        return term.extensions
    plain = declared.strip().lower().lstrip(".")
    return (plain,) if _known_extension(plain) else ()


def check_resource_media_types(ctx: RuleContext) -> None:
    """``resource.media-mismatch``: a resource's ``mimetype`` that fits neither its format
    nor its URL's extension (a PNG chart whose portal format says CSV). A media type the
    built-in table does not know, a format without file extensions (API) and an URL
    without a known extension are not compared."""
    resources = ctx.record.get("resources")
    if not isinstance(resources, list):
        return
    vocab = ctx.standard.vocabularies["format"]
    url_paths = ctx.url_paths
    for i, resource in enumerate(resources):
        if not isinstance(resource, Mapping):
            continue
        raw = resource.get("mimetype")
        if not isinstance(raw, str) or not raw.strip():
            continue
        media = raw.split(";", 1)[0].strip().lower()
        media_exts = _media_extensions(media)
        if not media_exts:
            continue
        against: list[tuple[str, str]] = []  # (what, shown) that disagrees
        declared = resource.get("format")
        if isinstance(declared, str) and declared.strip():
            format_exts = _format_extensions(vocab, declared)
            if format_exts and media_exts.isdisjoint(format_exts):
                against.append(("format", declared.strip()))
        url = resource.get("url")
        if isinstance(url, str) and url.strip():
            name = (_url_path(url_paths, url) or "").rsplit("/", 1)[-1]
            ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
            if ext and _known_extension(ext) and ext not in media_exts:
                against.append(("url", f".{ext}"))
        if not against:
            continue
        shown_id = " dan ".join(
            f"format '{short(v)}'" if w == "format" else f"ekstensi URL '{short(v)}'"
            for w, v in against
        )
        shown_en = " and ".join(
            f"format '{short(v)}'" if w == "format" else f"URL extension '{short(v)}'"
            for w, v in against
        )
        ctx.add(
            "resource.media-mismatch",
            f"$.resources[{i}].mimetype",
            f"Jenis media '{short(raw)}' bertentangan dengan {shown_id}",
            f"Media type '{short(raw)}' contradicts the {shown_en}",
        )


def check_kode_standar(ctx: RuleContext) -> None:
    raw = ctx.record.get("kode_standar_data")
    if isinstance(raw, str) and raw.strip() and not _KODE_STANDAR.match(raw.strip()):
        ctx.add(
            "kode-standar-data.pattern",
            "$.kode_standar_data",
            f"Kode standar data '{short(raw)}' tidak berbentuk 1-2 huruf, 5 angka konsep, "
            "2 angka definisi, 2 angka klasifikasi (mis. DS.00001.01.01)",
            f"Data standard code '{short(raw)}' is not 1-2 letters, 5 concept digits, "
            "2 definition digits, 2 classification digits (e.g. DS.00001.01.01)",
        )


#: A description longer than this is reported (``notes.long``, a warning): portals cut
#: or slowly render such texts, and at this length it is usually a pasted table or
#: document rather than a description. The schema's hard limit is 100,000.
NOTES_WARN_LENGTH = 10_000
#: CKAN's tag validators (``tag_length_validator``, ``tag_name_validator``): 2 to 100
#: characters, each a Unicode letter or digit, a space, ``-``, ``_`` or ``.``.
_CKAN_TAG = re.compile(r"[\w \-.]{2,100}")


def check_notes_and_tags(ctx: RuleContext) -> None:
    notes = ctx.record.get("notes")
    if isinstance(notes, str) and len(notes) > NOTES_WARN_LENGTH:
        ctx.add(
            "notes.long",
            "$.notes",
            f"Deskripsi berisi {len(notes):_} karakter (lebih dari {NOTES_WARN_LENGTH:_}); "
            "ringkas, dan letakkan rinciannya di sumber daya".replace("_", "."),
            f"The description holds {len(notes):,} characters (more than "
            f"{NOTES_WARN_LENGTH:,}); shorten it and put the details in a resource",
        )
    tags = ctx.record.get("tags")
    if not isinstance(tags, list):
        return
    for i, tag in enumerate(tags):
        if not isinstance(tag, str) or _CKAN_TAG.fullmatch(tag):
            continue
        if len(tag) < 2 or len(tag) > 100:
            why_id = f"panjangnya {len(tag)} karakter (CKAN menerima 2 sampai 100)"
            why_en = f"it is {len(tag)} characters long (CKAN takes 2 to 100)"
        else:
            bad = "".join(dict.fromkeys(c for c in tag if not _CKAN_TAG.fullmatch(c * 2)))
            why_id = f"berisi karakter {bad!r} (CKAN menerima huruf, angka, spasi, - _ .)"
            why_en = f"it holds {bad!r} (CKAN takes letters, digits, space, - _ .)"
        ctx.add(
            "tag.ckan-invalid",
            f"$.tags[{i}]",
            f"Kata kunci '{short(tag)}' akan ditolak CKAN: {why_id}",
            f"Tag '{short(tag)}' would be refused by CKAN: {why_en}",
        )


def run_rules(ctx: RuleContext) -> Iterator[Finding]:
    check_required(ctx)
    check_unknown_fields(ctx)
    check_vocabularies(ctx)
    created, updated = check_dates(ctx)
    check_freshness(ctx, created, updated)
    check_region(ctx)
    check_contacts_and_links(ctx)
    check_resource_formats(ctx)
    check_resource_media_types(ctx)
    check_kode_standar(ctx)
    check_notes_and_tags(ctx)
    yield from ctx.findings
