"""The README and docs/*.md as data: their sections, tables and example commands, and a
workspace made from the bundled Kota Medan data in which those commands run."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from typer.testing import CliRunner, Result

from satudata_cli.cli import app

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


def doc_text(name: str) -> str:
    """``README.md`` or a page of ``docs/`` (``"validate.md"``)."""
    path = ROOT / name if name == "README.md" else DOCS / name
    return path.read_text(encoding="utf-8")


def doc_names() -> list[str]:
    """README.md, then every page of docs/, by name."""
    return ["README.md", *sorted(p.name for p in DOCS.glob("*.md"))]


def section(text: str, heading: str) -> str:
    """The text under ``heading`` (a full heading line), up to the next heading of the
    same or a higher level (headings inside code fences do not count)."""
    level = len(heading) - len(heading.lstrip("#"))
    lines = text.splitlines()
    assert heading in lines, heading
    start = lines.index(heading) + 1
    end = len(lines)
    fenced = False
    for number in range(start, len(lines)):
        if lines[number].startswith("```"):
            fenced = not fenced
        match = re.match(r"^(#+) ", lines[number])
        if match and not fenced and len(match.group(1)) <= level:
            end = number
            break
    return "\n".join(lines[start:end])


def code_blocks(text: str, language: str | None = None) -> list[str]:
    """Fenced blocks of ``text``; with ``language``, only blocks opened with it."""
    blocks = re.findall(r"^```([a-z]*)\n(.*?)^```", text, re.MULTILINE | re.DOTALL)
    return [body for lang, body in blocks if language is None or lang == language]


def table_rows(text: str) -> list[list[str]]:
    """Cells of the body rows of the first Markdown table in ``text`` (header and rule
    row dropped)."""
    rows: list[list[str]] = []
    for line in text.splitlines():
        if line.lstrip().startswith("|"):
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
        elif rows:
            break
    assert len(rows) >= 3, text
    assert set(rows[1][0]) <= set("-: "), rows[1]
    return rows[2:]


# --------------------------------------------------------------------------- examples


@dataclass(frozen=True)
class Example:
    """One example command line of a ```bash block."""

    doc: str
    line: int  # 1-based, in ``doc``
    command: str  # as written, comment stripped

    @property
    def id(self) -> str:
        return f"{self.doc}:{self.line}"


_EXAMPLE = re.compile(r"^(cat \S+ \| )?(SATUDATA_[A-Z_]+=\S+ )*satudata |^bash scripts/")


def examples() -> list[Example]:
    """Every line of a ```bash block in the README and docs/ that runs satudata (also
    fed by ``cat FILE |`` or after ``SATUDATA_...=value`` settings) or one of the
    scripts (``bash scripts/...``)."""
    found: list[Example] = []
    for name in doc_names():
        fenced: str | None = None
        for number, line in enumerate(doc_text(name).splitlines(), start=1):
            if line.startswith("```"):
                fenced = None if fenced is not None else line[3:].strip()
                continue
            if fenced == "bash" and _EXAMPLE.match(line.strip()):
                command = re.sub(r"\s+#.*$", "", line.strip())
                found.append(Example(name, number, command))
    return found


def make_workspace(folder: Path) -> Path:
    """A folder holding what the examples name, made from the bundled Medan data: the
    bundled ``harvest_configs/`` (sources, example data, targets), ``metadata/`` (the
    example files), ``daftar-data.xlsx`` (the CSV sheet as a workbook), ``record.json``
    (one record), ``profil-medan.yaml`` (the profile of docs/validate.md) and a katalog
    ``satudata.db`` harvested from the bundled source."""
    medan = ROOT / "harvest_configs" / "data" / "medan"
    shutil.copytree(ROOT / "harvest_configs", folder / "harvest_configs")
    shutil.copytree(medan, folder / "metadata")
    sheet_text = (medan / "bappeda-daftar-data.csv").read_text(encoding="utf-8")
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in csv.reader(io.StringIO(sheet_text), delimiter=";"):
        sheet.append(row)
    book.save(folder / "daftar-data.xlsx")
    records = json.loads((medan / "dinas-kesehatan.json").read_text(encoding="utf-8"))
    (folder / "record.json").write_text(json.dumps(records[0]), encoding="utf-8")
    (folder / "profil-medan.yaml").write_text(profile_example(), encoding="utf-8")
    harvest = run_cli(
        ["--db", str(folder / "satudata.db"), "--config-dir", str(folder / "harvest_configs"),
         "harvest", "--all"]
    )  # fmt: skip
    assert harvest.exit_code == 0, harvest.stderr
    return folder


def profile_example() -> str:
    """The profile of docs/validate.md, as written there."""
    text = section(doc_text("validate.md"), "## Profiles of your own")
    (block,) = [b for b in code_blocks(text, "yaml") if "extends:" in b]
    return block


def run_cli(
    argv: list[str], stdin: bytes | None = None, env: dict[str, str] | None = None
) -> Result:
    """``satudata ARGV`` in process, in the current folder, with a neutral locale and
    ``env`` (an example's ``SATUDATA_...=value`` settings) set."""
    return CliRunner().invoke(app, argv, input=stdin, env={"LANG": "C.UTF-8", **(env or {})})
