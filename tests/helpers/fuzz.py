"""A seeded mutation fuzzer over satudata's readers and configuration files.

Small valid seed files (the bundled example data, the DCAT and data.json test files,
CKAN and JSON API responses, a source, a target and a profile file) are mutated by a
:class:`random.Random` seeded per input, so a campaign is the same on every machine:

- *raw* mutations: byte flips, truncation, a chunk deleted or repeated, a nasty token
  (NUL, a byte-order mark, invalid UTF-8, a lone surrogate in CESU-8, brackets,
  quotes, anchors) inserted at a random place;
- *structured* mutations: the seed parsed, one value (or subtree) replaced by a nasty
  value written in the format's own syntax (``1e400``, ``.inf``, ``!!binary``,
  ``"\\ud800"``, 5,000 nested brackets, an alias bomb, a self-referencing alias,
  impossible dates such as ``2025-02-29`` or hour 24, formula payloads, huge strings,
  XML entities and DTDs, remote and ``file://`` JSON-LD contexts, a worksheet cell at
  ``XFD1048576``), then written back, so the file stays parseable and the *value*
  reaches the code behind the parser.

Each *harness* writes a batch of inputs into a folder and runs the real CLI over it
in one subprocess (``validate DIR``; ``harvest --all`` of a directory source; one
``dcat``/``datajson`` source per document; CKAN, JSON API, data.json and DCAT sources
over a loopback server serving the mutated responses; ``sources list``,
``publish --dry-run`` and ``harvest --dry-run`` over folders of mutated source, target
and profile files), with an address-space cap (``RLIMIT_AS``) and a timeout, and
checks: the exit code is one the command documents, no traceback and no "internal
error" on stdout or stderr, JSON output that parses, no harvest job left ``running``,
no request to an address no source names (a fetched JSON-LD context). A failing batch
is bisected by running its inputs one by one, so a failure names its input.

``tests/reliability/test_fuzz.py`` runs a fixed budget in CI; ``python
benchmarks/run.py fuzz --budget N`` a longer campaign (``benchmarks/bench_fuzz.py``).
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import re
import resource
import sqlite3
import subprocess
import sys
import threading
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "harvest_configs" / "data" / "medan"
MEMORY_CAP = 1024 * 2**20  # RLIMIT_AS of every CLI run: 1 GiB of address space
RUN_TIMEOUT = 120.0  # seconds for one CLI run (a batch); a hang is a failure
AS_OF = "2026-11-28"
PLACEHOLDER = "__SATUDATA_FUZZ__"
CANARY_PATH = "/remote-context"  # a JSON-LD context on the loopback server: never fetched


# ============================================================================ seeds


def _xlsx(rows: Sequence[Sequence[str]], *, sheet_xml: str | None = None) -> bytes:
    """A minimal, deterministic workbook (inline strings, fixed zip times)."""

    def col(index: int) -> str:
        name = ""
        index += 1
        while index:
            index, rem = divmod(index - 1, 26)
            name = chr(65 + rem) + name
        return name

    if sheet_xml is None:
        body = []
        for r, row in enumerate(rows, start=1):
            cells = "".join(
                f'<c r="{col(c)}{r}" t="inlineStr"><is><t>{_xml_escape(v)}</t></is></c>'
                for c, v in enumerate(row)
            )
            body.append(f'<row r="{r}">{cells}</row>')
        last = f"{col(max(len(r) for r in rows) - 1)}{len(rows)}"
        sheet_xml = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<dimension ref="A1:{last}"/><sheetData>{"".join(body)}</sheetData></worksheet>'
        )
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="Metadata" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": sheet_xml,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))
    return out.getvalue()


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _csv_rows() -> list[list[str]]:
    text = (DATA / "bappeda-daftar-data.csv").read_text(encoding="utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def _ckan_response() -> bytes:
    from tests.helpers.ckan_fixture import make_packages

    packages = make_packages(2, seed=16)
    body = {"help": "package_search", "success": True,
            "result": {"count": len(packages), "results": packages}}  # fmt: skip
    return json.dumps(body, ensure_ascii=False, indent=1).encode()


def _jsonapi_response() -> bytes:
    from tests.helpers.jsonapi_fixture import make_items

    items = make_items(2)
    return json.dumps({"data": items, "meta": {"total": len(items)}}, indent=1).encode()


def _source_seed() -> bytes:
    text = (ROOT / "harvest_configs" / "medan-contoh.yaml").read_text(encoding="utf-8")
    return text.replace("path: data/medan", "path: data").encode()


def _profile_seed() -> bytes:
    from tests.helpers.doc_examples import profile_example

    return profile_example().encode()


@dataclass(frozen=True)
class Kind:
    """One input format: the file extension, the seed and how it is structured."""

    name: str
    ext: str
    syntax: str  # json | yaml | csv | tsv | xlsx | xml | turtle | jsonld
    seed: Callable[[], bytes]
    content_type: str = "application/octet-stream"


def _tsv() -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter="\t", lineterminator="\n").writerows(_csv_rows())
    return out.getvalue().encode()


def _read(path: Path) -> Callable[[], bytes]:
    return path.read_bytes


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("json", ".json", "json", _read(DATA / "dinas-kesehatan.json")),
        Kind("jsonl", ".jsonl", "jsonl", _read(DATA / "bps-statistik.jsonl")),
        Kind("yaml", ".yaml", "yaml", _read(DATA / "dinas-pendidikan.yaml")),
        Kind("csv", ".csv", "csv", _read(DATA / "bappeda-daftar-data.csv")),
        Kind("tsv", ".tsv", "tsv", _tsv),
        Kind("xlsx", ".xlsx", "xlsx", lambda: _xlsx(_csv_rows())),
        Kind(
            "turtle", ".ttl", "turtle", _read(ROOT / "tests/data/dcat/catalog.ttl"), "text/turtle"
        ),
        Kind(
            "rdfxml",
            ".rdf",
            "xml",
            _read(ROOT / "tests/data/dcat/catalog.rdf"),
            "application/rdf+xml",
        ),
        Kind(
            "jsonld",
            ".jsonld",
            "jsonld",
            _read(ROOT / "tests/data/dcat/catalog.jsonld"),
            "application/ld+json",
        ),
        Kind(
            "datajson",
            ".json",
            "json",
            _read(ROOT / "tests/data/datajson/pemko-data.json"),
            "application/json",
        ),
        Kind("ckan", ".json", "json", _ckan_response, "application/json"),
        Kind("jsonapi", ".json", "json", _jsonapi_response, "application/json"),
        Kind("source", ".yaml", "yaml", _source_seed),
        Kind("target", ".yaml", "yaml", _read(ROOT / "harvest_configs/targets/medan-portal.yaml")),
        Kind("profile", ".yaml", "yaml", _profile_seed),
    )
}


# ============================================================================ nasty values


def _deep(open_: str, close: str, depth: int) -> str:
    return open_ * depth + close * depth


def _alias_bomb_flow(levels: int = 9, width: int = 9) -> str:
    parts = ["&l0 [" + ", ".join(["lol"] * width) + "]"]
    for i in range(1, levels):
        parts.append(f"&l{i} [" + ", ".join([f"*l{i - 1}"] * width) + "]")
    return "[" + ", ".join(parts) + "]"


# JSON values, as JSON text
JSON_VALUES = [
    "1e400", "-1e400", "1" + "0" * 400, "-0", "1e-400", "NaN", "Infinity", "-Infinity",
    '"\\ud800"', '"\\udfff"', '"ab\\ud83d"', '"\\u0000"', '"\\ufeff"', "null", "true",
    "[]", "{}", '""', '" "', _deep("[", "]", 5000), _deep("[", "]", 200),
    '{"a":' * 3000 + "1" + "}" * 3000, '"' + "x" * 200_000 + '"',
    '"2025-02-29"', '"0000-01-01"', '"2025-13-01"', '"2025-01-01T24:00:00"',
    '"=HYPERLINK(\\"http://x.example\\")"', '"+cmd|\' /C calc\'!A0"', '"@SUM(1+1)"',
    '"\\t=1+1"', '"\\r=1+1"', '"<script>alert(1)</script>"', '"../../etc/passwd"',
    '"\\u202e\\u0000\\u0007"', "123456789012345678901234567890", "0.1e-99999",
    '{"@context": "file:///etc/passwd"}', '[{"name": "x"}, 1, "a", null]',
]  # fmt: skip

# YAML values, written where a plain value goes (block or flow context)
YAML_VALUES = [
    "2025-02-29", "0000-01-01", "2025-13-01", "2025-01-01 24:00:00", "2025-02-30T10:00:00Z",
    "9999-12-31 23:59:60", ".inf", "-.inf", ".nan", "1e400", "!!binary aGVsbG8=",
    '"\\ud800"', '"\\udfff x"', "!!float 1e400", "!!int 99999999999999999999999999",
    "!!timestamp 2025-02-29", "&self [*self]", "*undefined", _alias_bomb_flow(),
    _alias_bomb_flow(4, 4), "!!python/object/apply:os.system [echo pwned]",
    "!!python/name:os.system", "!!set {a, b}", "!!omap [a: 1, a: 2]", "~", "0x1F", "0o17",
    "1_000", "-0", "null", "[]", "{}", "''", _deep("[", "]", 5000), _deep("{a: ", "}", 300),
    "'=1+1'", "'+cmd'", "'@SUM(1)'", "\"\\t=1\"", "\"\\r=1\"", "'<script>x</script>'",
    "\"\\0\"", "\"\\x00\"", "'" + "y" * 200_000 + "'", "!!str", "!custom x", "? [a, b]",
    "{<<: *undefined}", "[*undefined]", "\"\\u202e\"", "yes", "off", "|-\n  multi\n  line",
]  # fmt: skip

# cell texts (CSV, TSV, XLSX)
CELL_VALUES = [
    "=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)", "\t=1", "\r=1", "'=1", "a\nb", "a\r\nb",
    "\x00", "\ufeffx", "x" * 200_000, "1e400", "2025-02-29", "0000-01-01", "NaN", "-0",
    '"unbalanced', "a;b;c", "\udcff", "<script>alert(1)</script>", "=HYPERLINK(\"x\")",
    "١٢٣", "\u202e", "", " ",
]  # fmt: skip

XML_SNIPPETS = [
    '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
    '<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">]>',
    '<!DOCTYPE r SYSTEM "http://127.0.0.1:9/dtd">',
    '<?xml-stylesheet href="http://127.0.0.1:9/x"?>',
]
XML_TEXTS = [
    "&x;", "&#0;", "&#xD800;", "&#x1F600;", "<![CDATA[x]]>", "1e400", "2025-02-29",
    "=1+1", "x" * 200_000, "&undefined;", "<b>", _deep("<a>", "</a>", 5000),
]  # fmt: skip
TURTLE_LITERALS = [
    '"1e400"^^<http://www.w3.org/2001/XMLSchema#double>',
    '"2025-02-29"^^<http://www.w3.org/2001/XMLSchema#date>',
    '"0000-01-01"^^<http://www.w3.org/2001/XMLSchema#date>',
    '"2025-01-01T24:00:00"^^<http://www.w3.org/2001/XMLSchema#dateTime>',
    '"99999999999999999999999"^^<http://www.w3.org/2001/XMLSchema#integer>',
    '"\\uD800"', '"\\U0010FFFF"', '"x"@not-a-language-tag-at-all', "<file:///etc/passwd>",
    '"""unterminated', "( " * 3000 + ")" * 3000, "[ <a:b> " * 2000 + "]" * 2000,
    '"=1+1"', '"<script>x</script>"', '"' + "z" * 200_000 + '"', "<>", "_:b0",
]  # fmt: skip

RAW_TOKENS = [
    b"\x00", b"\xef\xbb\xbf", b"\xff\xfe", b"\xed\xa0\x80", b"\xff", b"{", b"[", b"]", b"}",
    b'"', b"\\", b"\r", b"\n", b"&a ", b"*a", b"!!binary ", b"1e400", b"---\n", b"<!ENTITY",
    b"@context", b":", b"- ", b"\t", b"%YAML 1.1\n", b"? ", b"|", b">", b"'", b"#",
    b"\xc0\x80", b"\xe2\x80\xae",
]  # fmt: skip


# ============================================================================ mutation


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, (*path, index))


def _set(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    parent = value
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = new
    return value


def _replace_json(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    doc = json.loads(data.decode("utf-8-sig"))
    path = rng.choice(list(_leaves(doc))[1:] or [()])
    token = rng.choice(JSON_VALUES)
    as_key = bool(path) and isinstance(path[-1], str) and rng.random() < 0.15
    if as_key:  # a nasty key instead of a nasty value
        parent = doc
        for step in path[:-1]:
            parent = parent[step]
        parent[PLACEHOLDER] = parent.pop(path[-1])
        text = json.dumps(doc, ensure_ascii=False, indent=1)
        key = token if token.startswith('"') else json.dumps(token)
        return text.replace(
            f'"{PLACEHOLDER}"', key, 1
        ).encode(), f"key at {path!r} = {token[:40]!r}"
    doc = _set(doc, path, PLACEHOLDER)
    text = json.dumps(doc, ensure_ascii=False, indent=1)
    return text.replace(f'"{PLACEHOLDER}"', token, 1).encode(), f"{path!r} = {token[:40]!r}"


def _replace_jsonl(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    lines = data.decode("utf-8").splitlines()
    index = rng.randrange(len(lines))
    new, how = _replace_json(lines[index].encode(), rng)
    lines[index] = new.decode().replace("\n", " ")
    return "\n".join(lines).encode() + b"\n", f"line {index + 1}: {how}"


def _yaml_dates_as_text(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _yaml_dates_as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_yaml_dates_as_text(v) for v in value]
    return value.isoformat() if hasattr(value, "isoformat") else value


def _replace_yaml(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    doc = _yaml_dates_as_text(yaml.safe_load(data.decode("utf-8")))
    path = rng.choice(list(_leaves(doc))[1:] or [()])
    token = rng.choice(YAML_VALUES)
    doc = _set(doc, path, PLACEHOLDER)
    flow = rng.random() < 0.3
    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, default_flow_style=flow)
    if "\n" in token and not flow:
        indent = " " * 4
        token = token.replace("\n", "\n" + indent)
    return text.replace(PLACEHOLDER, token, 1).encode(), f"{path!r} = {token[:40]!r}"


def _replace_cell(rows: list[list[str]], rng: random.Random) -> tuple[list[list[str]], str]:
    r = rng.randrange(len(rows))
    c = rng.randrange(len(rows[r]))
    token = rng.choice(CELL_VALUES)
    if rng.random() < 0.1:  # a header cell
        r = 0
    rows[r][c] = token
    return rows, f"cell {r},{c} = {token[:40]!r}"


def _replace_csv(data: bytes, rng: random.Random, delimiter: str) -> tuple[bytes, str]:
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if rng.random() < 0.1:
        rows[rng.randrange(len(rows))].extend(["x"] * rng.choice((1, 500, 20_000)))
        how = "a row with extra columns"
    else:
        rows, how = _replace_cell(rows, rng)
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8", "surrogatepass"), how


def _replace_xlsx(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    rows = _csv_rows()
    choice = rng.random()
    if choice < 0.55:
        rows, how = _replace_cell(rows, rng)
        try:
            return _xlsx(rows), how
        except UnicodeEncodeError:
            return _xlsx(_csv_rows()), how + " (not encodable: unchanged)"
    base = zipfile.ZipFile(io.BytesIO(_xlsx(rows))).read("xl/worksheets/sheet1.xml").decode()
    if choice < 0.75:  # a cell far away, or a lying dimension
        ref = rng.choice(["XFD1048576", "Z1000000", "A1048576", "XFD1", "AAA50000"])
        if rng.random() < 0.5:
            cell = f'<row r="{ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")}"><c r="{ref}" ' \
                   't="inlineStr"><is><t>x</t></is></c></row>'  # fmt: skip
            sheet = base.replace("</sheetData>", cell + "</sheetData>")
            return _xlsx(rows, sheet_xml=sheet), f"a cell at {ref}"
        sheet = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="A1:{ref}"/>', base)
        return _xlsx(rows, sheet_xml=sheet), f"dimension A1:{ref}"
    # the sheet's XML itself mutated, inside a valid zip
    raw, how = _raw(base.encode(), rng)
    return _xlsx(rows, sheet_xml=raw.decode("utf-8", "replace")), f"sheet XML: {how}"


def _replace_xml(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    text = data.decode("utf-8")
    if rng.random() < 0.35:
        snippet = rng.choice(XML_SNIPPETS)
        head, sep, rest = text.partition("?>")
        text = (head + sep + "\n" + snippet + rest) if sep else snippet + text
        if "ENTITY" in snippet:
            name = "x" if "SYSTEM" in snippet else "f"
            text = re.sub(r">([^<>\s][^<>]*)<", f">&{name};<", text, count=1)
        return text.encode(), f"prolog {snippet[:40]!r}"
    texts = [m.span(1) for m in re.finditer(r">([^<>]+)<", text) if m.group(1).strip()]
    token = rng.choice(XML_TEXTS)
    if not texts:
        return text.encode(), "unchanged"
    start, end = rng.choice(texts)
    return (text[:start] + token + text[end:]).encode(), f"text = {token[:40]!r}"


def _replace_turtle(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    text = data.decode("utf-8")
    literals = [m.span() for m in re.finditer(r'"[^"\n]*"(\^\^[^\s;.]+|@[a-z-]+)?', text)]
    token = rng.choice(TURTLE_LITERALS)
    if not literals:
        return text.encode(), "unchanged"
    start, end = rng.choice(literals)
    return (text[:start] + token + text[end:]).encode(), f"literal = {token[:40]!r}"


def _replace_jsonld(data: bytes, rng: random.Random, canary: str) -> tuple[bytes, str]:
    doc = json.loads(data.decode("utf-8"))
    if rng.random() < 0.4:  # a context to fetch, somewhere
        remote = rng.choice([canary, "file:///etc/passwd", canary + "?deep"])
        depth = rng.choice((1, 3, 50, 300))
        ctx: Any = remote
        for _ in range(depth):
            ctx = rng.choice([[ctx], {"@context": ctx}])
        paths = [p for p in _leaves(doc) if p and isinstance(p[-1], str)]
        where = rng.choice(paths) if paths else ()
        if where:
            parent = doc
            for step in where[:-1]:
                parent = parent[step]
            if isinstance(parent, dict):
                parent["@context"] = ctx
        else:
            doc["@context"] = ctx
        return json.dumps(doc).encode(), f"@context {remote} at depth {depth} near {where!r}"
    return _replace_json(data, rng)


def _raw(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    buf = bytearray(data)
    op = rng.choice(("flip", "truncate", "insert", "delete", "repeat", "bom", "nul"))
    if not buf:
        return bytes(rng.choice(RAW_TOKENS)), "empty, one token"
    at = rng.randrange(len(buf))
    if op == "flip":
        for _ in range(rng.randint(1, 4)):
            i = rng.randrange(len(buf))
            buf[i] ^= 1 << rng.randrange(8)
        return bytes(buf), "bit flips"
    if op == "truncate":
        return bytes(buf[:at]), f"truncated at {at}"
    if op == "insert":
        token = rng.choice(RAW_TOKENS)
        return bytes(buf[:at] + token + buf[at:]), f"inserted {token!r} at {at}"
    if op == "delete":
        end = min(len(buf), at + rng.randint(1, 64))
        return bytes(buf[:at] + buf[end:]), f"deleted {at}:{end}"
    if op == "repeat":
        end = min(len(buf), at + rng.randint(1, 200))
        return bytes(buf[:end] + buf[at:end] * rng.randint(2, 50) + buf[end:]), "repeated a chunk"
    if op == "bom":
        return b"\xef\xbb\xbf" + bytes(buf), "byte-order mark"
    return bytes(buf[:at] + b"\x00" + buf[at:]), f"NUL at {at}"


def mutate(kind: Kind, seed: bytes, rng: random.Random, *, canary: str) -> tuple[bytes, str]:
    """One mutant of ``seed``: raw (a third of the time) or structured."""
    if rng.random() < 0.33:
        data, how = _raw(seed, rng)
        return data, f"raw: {how}"
    try:
        if kind.syntax == "json":
            data, how = _replace_json(seed, rng)
        elif kind.syntax == "jsonl":
            data, how = _replace_jsonl(seed, rng)
        elif kind.syntax == "yaml":
            data, how = _replace_yaml(seed, rng)
        elif kind.syntax in ("csv", "tsv"):
            data, how = _replace_csv(seed, rng, ";" if kind.syntax == "csv" else "\t")
        elif kind.syntax == "xlsx":
            data, how = _replace_xlsx(seed, rng)
        elif kind.syntax == "xml":
            data, how = _replace_xml(seed, rng)
        elif kind.syntax == "turtle":
            data, how = _replace_turtle(seed, rng)
        else:
            data, how = _replace_jsonld(seed, rng, canary)
    except (ValueError, yaml.YAMLError) as exc:  # the seed itself does not parse
        raise AssertionError(f"seed of {kind.name} does not parse: {exc}") from exc
    if rng.random() < 0.15:  # now and then, both
        data, raw_how = _raw(data, rng)
        how += f" + raw: {raw_how}"
    return data, f"structured: {how}"


@dataclass(frozen=True)
class Input:
    kind: str
    index: int
    data: bytes
    how: str

    @property
    def name(self) -> str:
        return f"{self.index:05d}-{self.kind}{KINDS[self.kind].ext}"


def make_inputs(kinds: Sequence[str], count: int, seed: int, *, canary: str) -> list[Input]:
    """``count`` mutants, kinds in turn; input ``i`` depends only on (seed, kind, i)."""
    seeds = {name: KINDS[name].seed() for name in kinds}
    out = []
    for i in range(count):
        name = kinds[i % len(kinds)]
        rng = random.Random(f"{seed}:{name}:{i}")
        data, how = mutate(KINDS[name], seeds[name], rng, canary=canary)
        out.append(Input(name, i, data, how))
    return out


# ============================================================================ running


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


@dataclass
class Run:
    argv: list[str]
    code: int
    stdout: str
    stderr: str
    timed_out: bool = False


def cli(args: Sequence[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """``python -m satudata_cli ARGS`` under the memory cap and the timeout."""
    argv = [sys.executable, "-m", "satudata_cli", *args]
    base = {k: v for k, v in os.environ.items() if not k.startswith("SATUDATA_")}
    base.update({"NO_COLOR": "1", "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8", "COLUMNS": "200"})
    base["PYTHONPATH"] = str(ROOT)
    base.update(env or {})
    try:
        proc = subprocess.run(
            argv,
            cwd=cwd,
            env=base,
            capture_output=True,
            timeout=RUN_TIMEOUT,
            preexec_fn=_cap_memory,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        out = (exc.stdout or b"").decode("utf-8", "replace")
        err = (exc.stderr or b"").decode("utf-8", "replace")
        return Run(argv, -9, out, err, timed_out=True)
    return Run(
        argv,
        proc.returncode,
        proc.stdout.decode("utf-8", "replace"),
        proc.stderr.decode("utf-8", "replace"),
    )


def problems_of(run: Run, allowed: set[int]) -> list[str]:
    """What is wrong with one CLI run, whatever its input."""
    found = []
    if run.timed_out:
        found.append(f"no answer within {RUN_TIMEOUT:.0f} s")
    elif run.code not in allowed:
        found.append(f"exit {run.code} (allowed: {sorted(allowed)})")
    both = run.stdout + run.stderr
    if "Traceback (most recent call last)" in both:
        found.append("a traceback")
    if "internal error" in both.lower():
        line = next(
            (x for x in both.splitlines() if "internal error" in x.lower()), "internal error"
        )
        found.append(line.strip()[:300])
    return found


@dataclass
class Failure:
    harness: str
    inputs: list[Input]
    problems: list[str]
    run: Run

    def describe(self) -> str:
        names = ", ".join(f"{i.name} ({i.how[:90]})" for i in self.inputs[:3])
        if len(self.inputs) > 3:
            names += f" and {len(self.inputs) - 3} more (not bisected)"
        tail = (self.run.stderr.strip().splitlines() or [""])[-1][:300]
        return f"[{self.harness}] {'; '.join(self.problems)} <- {names} | stderr: {tail}"


# ------------------------------------------------------------------ the loopback server


class _Handler(BaseHTTPRequestHandler):
    server: Loopback

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        path = urlsplit(self.path).path
        self.server.record(path)
        prefix = "/" + path.strip("/").split("/", 1)[0]
        found = self.server.routes.get(prefix)
        if found is None:
            body, ctype, status = b'{"error": "not found"}', "application/json", 404
        else:
            (body, ctype), status = found, 200
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = _answer
    do_POST = _answer


class Loopback(ThreadingHTTPServer):
    """Serves mutated documents by the first path segment; records every path asked."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes: dict[str, tuple[bytes, str]] = {}
        self.paths: list[str] = []
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    def record(self, path: str) -> None:
        with self._lock:
            self.paths.append(path)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def __enter__(self) -> Loopback:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()
        self._thread.join(timeout=10)


# ------------------------------------------------------------------ harnesses


def _no_running_jobs(db: Path) -> list[str]:
    if not db.exists():
        return []
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT source_id FROM harvest_jobs WHERE status = 'running'"
        ).fetchall()
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        conn.close()
    found = [f"job of source {r[0]} left running" for r in rows]
    if check != "ok":
        found.append(f"catalogue damaged: {check}")
    return found


def _stored(db: Path) -> dict[str, tuple[str, str]]:
    """remote id -> (content hash, status) of every dataset in the catalogue."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT remote_id, content_hash, status FROM datasets")
        return {row[0]: (row[1], row[2]) for row in rows}
    finally:
        conn.close()


def _outcomes(run: Run) -> list[dict[str, Any]]:
    try:
        outcomes = json.loads(run.stdout)
    except ValueError:
        return []
    return [o for o in outcomes if isinstance(o, dict)] if isinstance(outcomes, list) else []


def _harvest_json(run: Run) -> list[str]:
    """Per-source outcomes of ``harvest --json``: none may be an internal error."""
    if run.code not in (0, 3, 5):
        return []
    try:
        outcomes = json.loads(run.stdout)
    except ValueError:
        return [f"harvest --json printed no JSON: {run.stdout[:200]!r}"]
    found = []
    for outcome in outcomes if isinstance(outcomes, list) else []:
        error = str(outcome.get("error") or "")
        if "internal error" in error.lower():
            found.append(f"source {outcome.get('source')}: {error[:300]}")
    return found


def _source_yaml(source_id: str, body: dict[str, Any]) -> str:
    fields = {
        "id": source_id,
        "title": f"Fuzz {source_id}",
        "organization": "Pemerintah Kota Medan",
        "schedule": "manual",
        **body,
    }
    return yaml.safe_dump(fields, sort_keys=False, allow_unicode=True)


_HTTP = {"timeout": 20, "connect_timeout": 5, "retries": 0, "requests_per_second": 1000}


class Harness:
    """A way to feed inputs to the CLI. ``run_batch`` returns the failures of one batch;
    ``culprits`` maps a failing batch's problems to inputs when the output names them."""

    name = ""
    kinds: tuple[str, ...] = ()

    def run_batch(self, inputs: list[Input], work: Path, server: Loopback) -> list[Failure]:
        raise NotImplementedError


class ValidateFiles(Harness):
    name = "validate"
    kinds = ("json", "jsonl", "yaml", "csv", "tsv", "xlsx")

    def run_batch(self, inputs: list[Input], work: Path, server: Loopback) -> list[Failure]:
        folder = work / "files"
        folder.mkdir()
        for item in inputs:
            (folder / item.name).write_bytes(item.data)
        fmt = "text" if inputs[0].index % 4 == 3 else "json"
        report = work / "report.out"
        run = cli(
            ["validate", str(folder), "--format", fmt, "--output", str(report), "--as-of", AS_OF],
            work,
        )
        problems = problems_of(run, {0, 1, 5})
        if not problems and fmt == "json" and run.code in (0, 1):
            try:
                json.loads(report.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                problems.append(f"the JSON report does not parse: {exc}")
        return [Failure(self.name, inputs, problems, run)] if problems else []


class HarvestDirectory(Harness):
    name = "harvest-directory"
    kinds = ("json", "jsonl", "yaml", "csv", "tsv", "xlsx")

    def run_batch(self, inputs: list[Input], work: Path, server: Loopback) -> list[Failure]:
        cfg, data = work / "cfg", work / "cfg" / "data"
        data.mkdir(parents=True)
        # first the good files alone: what is stored must survive the bad ones
        for seed in DATA.iterdir():
            (data / f"seed-{seed.name}").write_bytes(seed.read_bytes())
        (cfg / "fuzz.yaml").write_text(
            _source_yaml("fuzz", {"type": "directory", "path": "data"}), encoding="utf-8"
        )
        db = work / "katalog.db"
        argv = ["--db", str(db), "--config-dir", str(cfg), "harvest", "--all", "--json"]
        first = cli(argv, work)
        if first.code != 0:
            raise AssertionError(f"the seed files alone did not harvest: {first.stderr[-2000:]}")
        stored = _stored(db)
        for item in inputs:
            (data / item.name).write_bytes(item.data)
        run = cli(argv, work)
        problems = problems_of(run, {0, 3}) + _harvest_json(run) + _no_running_jobs(db)
        # (a mutant may update a dataset: it carries the same names as the seed files)
        after = _stored(db)
        lost = [key for key in stored if after.get(key, ("", "gone"))[1] != "active"]
        if lost:
            problems.append(f"{len(lost)} dataset(s) stored before lost or withdrawn: {lost[:3]}")
        # a bad file is an errored record: the directory source itself goes on
        problems += [
            f"the source failed as a whole: {o.get('error')}"
            for o in _outcomes(run)
            if o.get("status") != "finished"
        ]
        return [Failure(self.name, inputs, problems, run)] if problems else []


class HarvestDocuments(Harness):
    """One ``dcat`` or ``datajson`` source per document, read from a local path."""

    name = "harvest-documents"
    kinds = ("turtle", "rdfxml", "jsonld", "datajson")

    def run_batch(self, inputs: list[Input], work: Path, server: Loopback) -> list[Failure]:
        cfg, docs = work / "cfg", work / "cfg" / "docs"
        docs.mkdir(parents=True)
        for item in inputs:
            (docs / item.name).write_bytes(item.data)
            kind = "datajson" if item.kind == "datajson" else "dcat"
            body: dict[str, Any] = {"type": kind, "path": f"docs/{item.name}"}
            (cfg / f"s{item.index:05d}.yaml").write_text(
                _source_yaml(f"s{item.index:05d}", body), encoding="utf-8"
            )
        return _harvest_sources(self.name, inputs, work, cfg, server)


class HarvestLoopback(Harness):
    """CKAN, JSON API, data.json and DCAT sources over a loopback server that answers
    every request of a source with its mutated response."""

    name = "harvest-loopback"
    kinds = ("ckan", "jsonapi", "datajson", "turtle", "jsonld", "rdfxml")

    def run_batch(self, inputs: list[Input], work: Path, server: Loopback) -> list[Failure]:
        cfg = work / "cfg"
        cfg.mkdir()
        for item in inputs:
            sid = f"s{item.index:05d}"
            kind = KINDS[item.kind]
            server.routes[f"/{sid}"] = (item.data, kind.content_type)
            base = f"{server.url}/{sid}"
            if item.kind == "ckan":
                body: dict[str, Any] = {"type": "ckan", "url": base}
            elif item.kind == "jsonapi":
                body = {
                    "type": "jsonapi",
                    "url": f"{base}/datasets",
                    "jsonapi": {
                        "records": "data",
                        "id": "id",
                        "fields": {
                            "title": "judul",
                            "notes": "deskripsi",
                            "organization": "instansi.nama",
                            "tags": "kata_kunci[].nama",
                            "tanggal_diperbarui": "diperbarui",
                            "resources": "berkas[].{name: nama, url: link}",
                        },
                        "modified": "diperbarui",
                        "pagination": {
                            "style": "page",
                            "page_param": "page",
                            "total": "meta.total",
                        },
                    },
                }
            elif item.kind == "datajson":
                body = {"type": "datajson", "url": f"{base}/data.json"}
            else:
                body = {"type": "dcat", "url": f"{base}/catalog{kind.ext}"}
            body["http"] = dict(_HTTP)
            (cfg / f"{sid}.yaml").write_text(_source_yaml(sid, body), encoding="utf-8")
        failures = _harvest_sources(self.name, inputs, work, cfg, server)
        # `sources check` of the first two sources (a preview, no catalogue)
        for item in inputs[:2]:
            run = cli(["--config-dir", str(cfg), "sources", "check", f"s{item.index:05d}"], work)
            problems = problems_of(run, {0, 5})
            if problems:
                failures.append(Failure(self.name + " (sources check)", [item], problems, run))
        return failures


def _harvest_sources(
    harness: str, inputs: list[Input], work: Path, cfg: Path, server: Loopback
) -> list[Failure]:
    db = work / "katalog.db"
    before = len(server.paths)
    run = cli(["--db", str(db), "--config-dir", str(cfg), "harvest", "--all", "--json"], work)
    problems = problems_of(run, {0, 3, 5}) + _no_running_jobs(db)
    failures = [Failure(harness, inputs, problems, run)] if problems else []
    by_source = {f"s{i.index:05d}": i for i in inputs}
    for line in _harvest_json(run):
        sid = line.split()[1].rstrip(":")
        failures.append(Failure(harness, [by_source.get(sid, inputs[0])], [line], run))
    fetched = [p for p in server.paths[before:] if p.startswith(CANARY_PATH)]
    if fetched:
        failures.append(
            Failure(harness, inputs, [f"fetched a remote JSON-LD context: {fetched[:3]}"], run)
        )
    return failures


class ConfigSources(Harness):
    """Mutated source files: ``sources list`` parses them all (one error for all)."""

    name = "config-sources"
    kinds = ("source",)

    def run_batch(self, inputs: list[Input], work: Path, server: Loopback) -> list[Failure]:
        cfg = work / "cfg"
        (cfg / "data").mkdir(parents=True)
        (cfg / "data" / "one.json").write_bytes((DATA / "dinas-kesehatan.json").read_bytes())
        for item in inputs:
            (cfg / item.name).write_bytes(item.data)
        run = cli(["--config-dir", str(cfg), "sources", "list", "--format", "json"], work)
        problems = problems_of(run, {0, 2})
        return [Failure(self.name, inputs, problems, run)] if problems else []


class ConfigTargets(Harness):
    """Mutated publish targets: ``publish`` loads every target file of the folder."""

    name = "config-targets"
    kinds = ("target",)

    def run_batch(self, inputs: list[Input], work: Path, server: Loopback) -> list[Failure]:
        cfg = work / "cfg"
        (cfg / "targets").mkdir(parents=True)
        for item in inputs:
            (cfg / "targets" / item.name).write_bytes(item.data)
        db = work / "none.db"
        run = cli(
            ["--db", str(db), "--config-dir", str(cfg), "publish", "no-such-target", "--dry-run"],
            work,
        )
        problems = problems_of(run, {2})
        return [Failure(self.name, inputs, problems, run)] if problems else []


class ConfigProfiles(Harness):
    """Mutated profiles, each named by one directory source: ``harvest --dry-run``
    loads each source's profile on its own."""

    name = "config-profiles"
    kinds = ("profile",)

    def run_batch(self, inputs: list[Input], work: Path, server: Loopback) -> list[Failure]:
        cfg = work / "cfg"
        (cfg / "data").mkdir(parents=True)
        (cfg / "profiles").mkdir()
        (cfg / "data" / "one.json").write_bytes((DATA / "dinas-kesehatan.json").read_bytes())
        for item in inputs:
            (cfg / "profiles" / item.name).write_bytes(item.data)
            sid = f"s{item.index:05d}"
            body = {"type": "directory", "path": "data", "profile": f"profiles/{item.name}"}
            (cfg / f"{sid}.yaml").write_text(_source_yaml(sid, body), encoding="utf-8")
        db = work / "katalog.db"
        run = cli(
            ["--db", str(db), "--config-dir", str(cfg), "harvest", "--all", "--dry-run", "--json"],
            work,
        )
        problems = problems_of(run, {0, 2, 3, 5})
        failures = [Failure(self.name, inputs, problems, run)] if problems else []
        by_source = {f"s{i.index:05d}": i for i in inputs}
        for line in _harvest_json(run):
            sid = line.split()[1].rstrip(":")
            failures.append(Failure(self.name, [by_source.get(sid, inputs[0])], [line], run))
        return failures


HARNESSES: dict[str, Harness] = {
    h.name: h
    for h in (
        ValidateFiles(),
        HarvestDirectory(),
        HarvestDocuments(),
        HarvestLoopback(),
        ConfigSources(),
        ConfigTargets(),
        ConfigProfiles(),
    )
}


# ============================================================================ campaign

#: share of a budget per harness (the CI budget of 300 splits into these exactly)
WEIGHTS: dict[str, int] = {
    "validate": 84,
    "harvest-directory": 60,
    "harvest-documents": 48,
    "harvest-loopback": 48,
    "config-sources": 20,
    "config-targets": 20,
    "config-profiles": 20,
}


def split(budget: int, names: Sequence[str] | None = None) -> dict[str, int]:
    """``budget`` inputs shared among the harnesses (``names``, default all) by
    :data:`WEIGHTS`, at least one each; the rest of the division goes to the first."""
    weights = {name: WEIGHTS[name] for name in (names or WEIGHTS)}
    total = sum(weights.values())
    shares = {name: max(1, budget * weight // total) for name, weight in weights.items()}
    shares[next(iter(shares))] += max(0, budget - sum(shares.values()))
    return shares


@dataclass
class Outcome:
    harness: str
    inputs: int = 0
    runs: int = 0
    failures: list[Failure] = field(default_factory=list)

    @property
    def crashes(self) -> int:
        """Failing inputs (each input counted once)."""
        return len({(f.inputs[0].kind, f.inputs[0].index) for f in self.failures})


def fuzz(
    harness_name: str,
    count: int,
    work: Path,
    *,
    seed: int = 16,
    batch: int = 50,
    bisect_limit: int = 12,
    keep: Path | None = None,
) -> Outcome:
    """Run ``count`` mutants through one harness in batches; bisect failing batches."""
    harness = HARNESSES[harness_name]
    outcome = Outcome(harness_name)
    with Loopback() as server:
        canary = server.url + CANARY_PATH
        inputs = make_inputs(harness.kinds, count, seed, canary=canary)
        outcome.inputs = len(inputs)
        for start in range(0, len(inputs), batch):
            chunk = inputs[start : start + batch]
            folder = work / f"{harness_name}-{start:05d}"
            folder.mkdir(parents=True)
            failures = harness.run_batch(chunk, folder, server)
            outcome.runs += 1
            whole = [f for f in failures if len(f.inputs) > 1]
            outcome.failures.extend(f for f in failures if len(f.inputs) == 1)
            if whole:
                singles = _bisect(harness, chunk, work, server, bisect_limit, outcome)
                if not singles:  # only the batch fails (an interaction): report it whole
                    outcome.failures.extend(whole)
        if keep is not None:
            _keep(outcome, keep)
    return outcome


def _bisect(
    harness: Harness,
    chunk: list[Input],
    work: Path,
    server: Loopback,
    limit: int,
    outcome: Outcome,
) -> list[Failure]:
    found: list[Failure] = []
    for item in chunk:
        if len(found) >= limit:
            break
        folder = work / f"{harness.name}-single-{item.index:05d}"
        if folder.exists():
            continue
        folder.mkdir(parents=True)
        failures = harness.run_batch([item], folder, server)
        outcome.runs += 1
        found.extend(failures)
    outcome.failures.extend(found)
    return found


def _keep(outcome: Outcome, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for failure in outcome.failures:
        for item in failure.inputs[:1]:
            (folder / item.name).write_bytes(item.data)
            (folder / f"{item.name}.txt").write_text(
                failure.describe() + "\n\n" + failure.run.stderr[-4000:], encoding="utf-8"
            )
