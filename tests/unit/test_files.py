"""Readers of metadata files: satudata_cli.readers.files."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
from pathlib import Path

import openpyxl
import pytest

from satudata_cli.core.errors import InputError
from satudata_cli.readers.files import (
    SUPPORTED_SUFFIXES,
    FileProblem,
    RawRecord,
    iter_paths,
    iter_records,
    read_records,
)
from satudata_cli.standard.findings import Severity


def _write(path: Path, content: str | bytes) -> str:
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return str(path)


def _read(path: str, max_bytes: int = 200 * 1024 * 1024) -> list[RawRecord | FileProblem]:
    return list(read_records(path, max_bytes=max_bytes))


def _records(items: list[RawRecord | FileProblem]) -> list[RawRecord]:
    assert all(isinstance(item, RawRecord) for item in items), items
    return [item for item in items if isinstance(item, RawRecord)]


def _only_problem(items: list[RawRecord | FileProblem]) -> FileProblem:
    assert len(items) == 1, items
    problem = items[0]
    assert isinstance(problem, FileProblem)
    assert problem.finding.severity is Severity.ERROR
    return problem


def _fd_count() -> int:
    return len(os.listdir("/proc/self/fd"))


# --------------------------------------------------------------------------- JSON


def test_suffixes() -> None:
    assert {".json", ".jsonl", ".ndjson", ".yaml", ".yml", ".csv", ".tsv", ".xlsx", ".xlsm"} == (
        SUPPORTED_SUFFIXES
    )


def test_json_object(tmp_path: Path) -> None:
    path = _write(tmp_path / "one.json", '{"name": "penduduk", "tahun": 2023}')
    (record,) = _records(_read(path))
    assert record == RawRecord(path, 1, None, {"name": "penduduk", "tahun": 2023}, tabular=False)


def test_json_list(tmp_path: Path) -> None:
    path = _write(tmp_path / "many.json", '[{"name": "a"}, {"name": "b"}]')
    records = _records(_read(path))
    assert [(r.index, r.line, r.data) for r in records] == [
        (1, None, {"name": "a"}),
        (2, None, {"name": "b"}),
    ]


@pytest.mark.parametrize("key", ["datasets", "data", "result", "results"])
def test_json_envelope(tmp_path: Path, key: str) -> None:
    path = _write(tmp_path / "env.json", json.dumps({"count": 2, key: [{"n": 1}, {"n": 2}]}))
    records = _records(_read(path))
    assert [r.data for r in records] == [{"n": 1}, {"n": 2}]
    assert [r.index for r in records] == [1, 2]


def test_json_ckan_search_envelope(tmp_path: Path) -> None:
    body = {"success": True, "result": {"count": 1, "results": [{"name": "x"}]}}
    path = _write(tmp_path / "ckan.json", json.dumps(body))
    assert [r.data for r in _records(_read(path))] == [{"name": "x"}]


def test_json_envelope_item_not_a_record_has_path(tmp_path: Path) -> None:
    path = _write(tmp_path / "env.json", '{"datasets": [{"n": 1}, "oops"]}')
    items = _read(path)
    assert isinstance(items[0], RawRecord)
    problem = items[1]
    assert isinstance(problem, FileProblem)
    assert problem.finding.rule == "file.not-a-record"
    assert problem.finding.path == "$.datasets[1]"
    assert problem.index == 2


def test_json_list_item_number_is_not_a_record(tmp_path: Path) -> None:
    path = _write(tmp_path / "mixed.json", '[{"a": 1}, {"a": 2}, {"a": 3}, 42, {"a": 5}]')
    items = _read(path)
    assert len(items) == 5
    problem = items[3]
    assert isinstance(problem, FileProblem)
    assert problem.finding.rule == "file.not-a-record"
    assert problem.index == 4
    assert problem.finding.path == "$[3]"
    assert "Item 4" in problem.finding.message.en
    assert "number" in problem.finding.message.en
    assert "Elemen ke-4" in problem.finding.message.id
    assert "angka" in problem.finding.message.id
    last = items[4]
    assert isinstance(last, RawRecord)
    assert (last.index, last.data) == (5, {"a": 5})


def test_json_top_level_scalar(tmp_path: Path) -> None:
    problem = _only_problem(_read(_write(tmp_path / "s.json", '"hello"')))
    assert problem.finding.rule == "file.not-a-record"
    assert problem.index == 1
    assert problem.finding.path == "$"


def test_json_empty_list(tmp_path: Path) -> None:
    problem = _only_problem(_read(_write(tmp_path / "e.json", "[]")))
    assert problem.finding.rule == "file.empty"
    assert problem.index is None


def test_json_broken_line_and_column(tmp_path: Path) -> None:
    path = _write(tmp_path / "broken.json", '{\n  "a": 1,\n  "b": 2\n  "c": 3\n}\n')
    problem = _only_problem(_read(path))
    finding = problem.finding
    assert finding.rule == "file.unreadable"
    assert finding.path == "$"
    assert (finding.line, finding.column) == (4, 3)
    assert finding.message.en == "Not valid JSON: Expecting ',' delimiter (line 4, column 3)."
    assert finding.message.id == (
        "Berkas bukan JSON yang sah: Expecting ',' delimiter (baris 4, kolom 3)."
    )
    assert problem.source == path


def test_json_nan_is_refused(tmp_path: Path) -> None:
    problem = _only_problem(_read(_write(tmp_path / "nan.json", '{"x": NaN}')))
    assert problem.finding.rule == "file.unreadable"
    assert "NaN" in problem.finding.message.en
    assert "NaN" in problem.finding.message.id


def test_json_deep_nesting(tmp_path: Path) -> None:
    problem = _only_problem(_read(_write(tmp_path / "deep.json", "[" * 100_000)))
    assert problem.finding.rule == "file.unreadable"
    assert "nested too deeply" in problem.finding.message.en
    assert "bersarang terlalu dalam" in problem.finding.message.id


def test_json_bad_utf8(tmp_path: Path) -> None:
    path = _write(tmp_path / "latin1.json", b'{\n  "judul": "Caf\xe9"\n}\n')
    problem = _only_problem(_read(path))
    finding = problem.finding
    assert finding.rule == "file.unreadable"
    assert (finding.line, finding.column) == (2, 16)
    assert "not UTF-8" in finding.message.en
    assert "offset 17" in finding.message.en
    assert "0xE9" in finding.message.en
    assert "bukan teks UTF-8" in finding.message.id
    assert "offset 17" in finding.message.id


def test_json_with_bom(tmp_path: Path) -> None:
    path = _write(tmp_path / "bom.json", b'\xef\xbb\xbf{"a": "b"}')
    assert [r.data for r in _records(_read(path))] == [{"a": "b"}]


@pytest.mark.parametrize("name", ["e.json", "e.yaml", "e.jsonl", "e.csv", "e.txt"])
@pytest.mark.parametrize("content", ["", "  \n\t\n  "])
def test_empty_and_whitespace_only(tmp_path: Path, name: str, content: str) -> None:
    problem = _only_problem(_read(_write(tmp_path / name, content)))
    assert problem.finding.rule == "file.empty"
    assert problem.finding.path == "$"
    assert problem.index is None


def test_ten_megabyte_description(tmp_path: Path) -> None:
    description = "data " * (2 * 1024 * 1024)
    path = _write(tmp_path / "big.json", json.dumps({"name": "big", "description": description}))
    (record,) = _records(_read(path))
    assert len(record.data["description"]) == 10 * 1024 * 1024
    assert record.data["name"] == "big"


def test_too_large_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path / "big.json", json.dumps({"d": "x" * 5000}))
    problem = _only_problem(_read(path, max_bytes=1000))
    assert problem.finding.rule == "file.unreadable"
    assert "too large" in problem.finding.message.en
    assert "terlalu besar" in problem.finding.message.id


def test_directory_where_file_expected(tmp_path: Path) -> None:
    directory = tmp_path / "dir.json"
    directory.mkdir()
    problem = _only_problem(_read(str(directory)))
    assert problem.finding.rule == "file.unreadable"
    assert "directory" in problem.finding.message.en
    assert "direktori" in problem.finding.message.id


def test_vanished_file_is_a_problem(tmp_path: Path) -> None:
    problem = _only_problem(_read(str(tmp_path / "gone.csv")))
    assert problem.finding.rule == "file.unreadable"
    assert "not found" in problem.finding.message.en


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads everything")
def test_permission_denied(tmp_path: Path) -> None:
    path = tmp_path / "secret.json"
    path.write_text("{}")
    path.chmod(0)
    problem = _only_problem(_read(str(path)))
    assert "permission denied" in problem.finding.message.en
    assert "akses ditolak" in problem.finding.message.id


def test_permission_error_is_a_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path / "locked.jsonl", "{}\n")

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)
    problem = _only_problem(_read(path))
    assert problem.finding.rule == "file.unreadable"
    assert problem.finding.message.en == "Cannot read the file: permission denied."
    assert problem.finding.message.id == "Berkas tidak dapat dibaca: akses ditolak."


def test_unknown_extension_is_sniffed(tmp_path: Path) -> None:
    path = _write(tmp_path / "export.txt", '[{"a": 1}]')
    assert [r.data for r in _records(_read(path))] == [{"a": 1}]
    path = _write(tmp_path / "export.dat", '{"a": 1}\n{"a": 2}\n')
    assert [(r.line, r.data) for r in _records(_read(path))] == [(1, {"a": 1}), (2, {"a": 2})]


def test_read_records_is_lazy(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.json", "{}")
    before = _fd_count()
    generator = read_records(path)
    assert _fd_count() == before
    assert [type(item) for item in generator] == [RawRecord]
    assert _fd_count() == before


# --------------------------------------------------------------------------- JSON Lines


def test_jsonl_bad_line_in_the_middle(tmp_path: Path) -> None:
    content = '{"name": "a"}\n\n{"name": "b",\n[1, 2]\n{"name": "c"}\n'
    items = _read(_write(tmp_path / "recs.jsonl", content))
    assert len(items) == 4
    first, bad, not_record, last = items
    assert isinstance(first, RawRecord)
    assert (first.index, first.line, first.data) == (1, 1, {"name": "a"})
    assert isinstance(bad, FileProblem)
    assert bad.finding.rule == "file.unreadable"
    assert (bad.index, bad.finding.line, bad.finding.column) == (2, 3, 14)
    assert bad.finding.message.en.startswith("Line 3 is not valid JSON:")
    assert bad.finding.message.id.startswith("Baris 3 bukan JSON yang sah:")
    assert isinstance(not_record, FileProblem)
    assert not_record.finding.rule == "file.not-a-record"
    assert (not_record.index, not_record.finding.line) == (3, 4)
    assert isinstance(last, RawRecord)
    assert (last.index, last.line, last.data) == (4, 5, {"name": "c"})


def test_ndjson_crlf_and_bom(tmp_path: Path) -> None:
    path = _write(tmp_path / "r.ndjson", b'\xef\xbb\xbf{"a": 1}\r\n{"a": 2}\r\n')
    assert [(r.index, r.line, r.data) for r in _records(_read(path))] == [
        (1, 1, {"a": 1}),
        (2, 2, {"a": 2}),
    ]


def test_jsonl_bad_utf8_line_continues(tmp_path: Path) -> None:
    path = _write(tmp_path / "r.jsonl", b'{"a": 1}\n{"a": "\xff"}\n{"a": 3}\n')
    items = _read(path)
    assert len(items) == 3
    problem = items[1]
    assert isinstance(problem, FileProblem)
    assert (problem.index, problem.finding.line, problem.finding.column) == (2, 2, 8)
    assert "offset 16" in problem.finding.message.en
    last = items[2]
    assert isinstance(last, RawRecord)
    assert (last.index, last.line) == (3, 3)


def test_jsonl_line_over_the_cap(tmp_path: Path) -> None:
    path = _write(tmp_path / "r.jsonl", '{"a": 1}\n{"a": "' + "x" * 500 + '"}\n{"a": 3}\n')
    items = _read(path, max_bytes=100)
    assert len(items) == 3
    problem = items[1]
    assert isinstance(problem, FileProblem)
    assert (problem.index, problem.finding.line) == (2, 2)
    assert "too long" in problem.finding.message.en
    last = items[2]
    assert isinstance(last, RawRecord)
    assert (last.line, last.data) == (3, {"a": 3})


# --------------------------------------------------------------------------- YAML


def test_yaml_single(tmp_path: Path) -> None:
    path = _write(tmp_path / "one.yaml", "name: penduduk\ntahun: 2023\ntanggal: 2024-02-01\n")
    (record,) = _records(_read(path))
    assert record.data == {"name": "penduduk", "tahun": 2023, "tanggal": "2024-02-01"}
    assert (record.index, record.line, record.tabular) == (1, None, False)


def test_yaml_list(tmp_path: Path) -> None:
    path = _write(tmp_path / "many.yml", "- name: a\n- name: b\n  tags: [x, y]\n")
    records = _records(_read(path))
    assert [(r.index, r.data) for r in records] == [
        (1, {"name": "a"}),
        (2, {"name": "b", "tags": ["x", "y"]}),
    ]


def test_yaml_multi_document(tmp_path: Path) -> None:
    content = "name: a\n---\n- name: b\n- name: c\n---\n---\n2020: x\nname: d\n"
    records = _records(_read(_write(tmp_path / "multi.yaml", content)))
    assert [(r.index, r.data) for r in records] == [
        (1, {"name": "a"}),
        (2, {"name": "b"}),
        (3, {"name": "c"}),
        (4, {"2020": "x", "name": "d"}),
    ]


def test_yaml_error_has_line(tmp_path: Path) -> None:
    path = _write(tmp_path / "bad.yaml", "name: a\ntitle: b\n  nested: c\n")
    problem = _only_problem(_read(path))
    finding = problem.finding
    assert finding.rule == "file.unreadable"
    assert (finding.line, finding.column) == (3, 9)
    # libyaml says "... not allowed in this context", pure-Python PyYAML "... here"
    assert finding.message.en.startswith("Not valid YAML: mapping values are not allowed")
    assert finding.message.en.endswith("(line 3, column 9).")
    assert finding.message.id.endswith("(baris 3, kolom 9).")


def test_yaml_alias_bomb_is_refused(tmp_path: Path) -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for level in range(1, 9):
        prev = chr(ord("a") + level - 1)
        name = chr(ord("a") + level)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    problem = _only_problem(_read(_write(tmp_path / "bomb.yaml", "\n".join(lines) + "\n")))
    assert problem.finding.rule == "file.unreadable"
    assert "alias" in problem.finding.message.en


def test_yaml_deep_nesting(tmp_path: Path) -> None:
    problem = _only_problem(_read(_write(tmp_path / "deep.yaml", "[" * 100_000)))
    assert problem.finding.rule == "file.unreadable"


# --------------------------------------------------------------------------- CSV


def test_csv_comma_bom_multiline(tmp_path: Path) -> None:
    content = (
        "\ufeffname,title,,description\r\n"
        'a,Judul A,ignored,"baris satu\r\nbaris dua, dengan koma"\r\n'
        'b,"Judul ""B""",,\r\n'
    )
    path = _write(tmp_path / "data.csv", content)
    records = _records(_read(path))
    assert [(r.index, r.line, r.data, r.tabular) for r in records] == [
        (
            1,
            2,
            {
                "name": "a",
                "title": "Judul A",
                "description": "baris satu\r\nbaris dua, dengan koma",
            },
            True,
        ),
        (2, 4, {"name": "b", "title": 'Judul "B"'}, True),
    ]
    assert all(r.source == path for r in records)


def test_csv_semicolon(tmp_path: Path) -> None:
    content = "name;title;tahun\na;Penduduk, menurut kecamatan;2023\n\nb;Luas;2022\n"
    records = _records(_read(_write(tmp_path / "semi.csv", content)))
    assert [(r.line, r.data) for r in records] == [
        (2, {"name": "a", "title": "Penduduk, menurut kecamatan", "tahun": "2023"}),
        (4, {"name": "b", "title": "Luas", "tahun": "2022"}),
    ]


@pytest.mark.parametrize("name", ["tabs.csv", "tabs.tsv"])
def test_csv_tab(tmp_path: Path, name: str) -> None:
    content = "\ufeffname\ttitle\na\tSatu, dua; tiga\n"
    (record,) = _records(_read(_write(tmp_path / name, content)))
    assert record.data == {"name": "a", "title": "Satu, dua; tiga"}
    assert record.line == 2


def test_csv_single_column_falls_back(tmp_path: Path) -> None:
    records = _records(_read(_write(tmp_path / "one.csv", "name\na\nb\n")))
    assert [r.data for r in records] == [{"name": "a"}, {"name": "b"}]


def test_csv_header_only(tmp_path: Path) -> None:
    problem = _only_problem(_read(_write(tmp_path / "h.csv", "name,title\n")))
    assert problem.finding.rule == "file.empty"
    assert "header row but no data rows" in problem.finding.message.en
    assert "judul kolom" in problem.finding.message.id


def test_csv_bad_utf8(tmp_path: Path) -> None:
    path = _write(tmp_path / "cp1252.csv", b"name,title\na,ok\nb,Caf\xe9\n")
    items = _read(path)
    assert len(items) == 2
    record, problem = items
    assert isinstance(record, RawRecord)
    assert record.data == {"name": "a", "title": "ok"}
    assert isinstance(problem, FileProblem)
    assert problem.finding.rule == "file.unreadable"
    assert (problem.finding.line, problem.finding.column) == (3, 6)
    assert "offset 21" in problem.finding.message.en


def test_csv_long_field(tmp_path: Path) -> None:
    description = "x" * 300_000
    (record,) = _records(_read(_write(tmp_path / "long.csv", f"name,d\na,{description}\n")))
    assert record.data["d"] == description


def test_csv_old_mac_line_endings(tmp_path: Path) -> None:
    records = _records(_read(_write(tmp_path / "mac.csv", b"name,t\ra,1\rb,2\r")))
    assert [(r.line, r.data) for r in records] == [
        (2, {"name": "a", "t": "1"}),
        (3, {"name": "b", "t": "2"}),
    ]


# --------------------------------------------------------------------------- XLSX


def test_xlsx_two_sheets(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    first = workbook.active
    assert first is not None
    first.title = "Dataset"
    first.append([])
    first.append(["name", "tahun", "tanggal", "rasio", None, "aktif"])
    first.append(["penduduk", 2023, dt.date(2024, 2, 1), 2.5, "tanpa judul", True])
    first.append([])
    first.append(["luas", 2022.0, dt.datetime(2024, 2, 1, 10, 30), None, None, False])
    second = workbook.create_sheet("Lain")
    second.append(["name", "title"])
    second.append(["x", "Judul X"])
    workbook.create_sheet("Kosong")
    path = str(tmp_path / "book.xlsx")
    workbook.save(path)

    records = _records(_read(path))
    assert [(r.source, r.index, r.line, r.data, r.tabular) for r in records] == [
        (
            f"{path}#Dataset",
            1,
            3,
            {
                "name": "penduduk",
                "tahun": "2023",
                "tanggal": "2024-02-01",
                "rasio": "2.5",
                "aktif": "true",
            },
            True,
        ),
        (
            f"{path}#Dataset",
            2,
            5,
            {"name": "luas", "tahun": "2022", "tanggal": "2024-02-01T10:30:00", "aktif": "false"},
            True,
        ),
        (f"{path}#Lain", 1, 2, {"name": "x", "title": "Judul X"}, True),
    ]


def test_xlsx_single_sheet_source_is_the_path(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["name"])
    sheet.append(["a"])
    path = str(tmp_path / "one.xlsm")
    workbook.save(path)
    (record,) = _records(_read(path))
    assert (record.source, record.line, record.data) == (path, 2, {"name": "a"})


def test_xlsx_random_bytes(tmp_path: Path) -> None:
    path = _write(tmp_path / "junk.xlsx", os.urandom(4096))
    problem = _only_problem(_read(path))
    assert problem.finding.rule == "file.unreadable"
    assert "Excel" in problem.finding.message.en
    assert "buku kerja" in problem.finding.message.id


def test_xlsx_truncated(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["name"])
    good = tmp_path / "good.xlsx"
    workbook.save(good)
    data = good.read_bytes()
    path = _write(tmp_path / "cut.xlsx", data[: len(data) // 2])
    assert _only_problem(_read(path)).finding.rule == "file.unreadable"


def test_xlsx_only_empty_rows(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["A1"] = ""
    sheet["B3"] = "   "
    sheet.append([None, None])
    path = str(tmp_path / "blank.xlsx")
    workbook.save(path)
    problem = _only_problem(_read(path))
    assert problem.finding.rule == "file.empty"
    assert problem.source == path
    assert "no header row" in problem.finding.message.en
    assert "baris judul kolom" in problem.finding.message.id


def test_xlsx_header_only(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["name", "title"])
    path = str(tmp_path / "head.xlsx")
    workbook.save(path)
    problem = _only_problem(_read(path))
    assert problem.finding.rule == "file.empty"
    assert "no data rows" in problem.finding.message.en


# --------------------------------------------------------------------------- stdin


def test_stdin_json() -> None:
    stdin = io.BytesIO(b' [{"name": "a"}, {"name": "b"}]\n')
    records = _records(list(read_records("-", stdin=stdin)))
    assert [(r.source, r.index, r.line, r.data) for r in records] == [
        ("-", 1, None, {"name": "a"}),
        ("-", 2, None, {"name": "b"}),
    ]


def test_stdin_pretty_json_object() -> None:
    stdin = io.BytesIO(b'{\n  "name": "a"\n}\n')
    assert [r.data for r in _records(list(read_records("-", stdin=stdin)))] == [{"name": "a"}]


def test_stdin_jsonl() -> None:
    stdin = io.BytesIO(b'{"name": "a"}\n{"name": \n\n{"name": "c"}\n')
    items = list(read_records("-", stdin=stdin))
    assert len(items) == 3
    first, bad, last = items
    assert isinstance(first, RawRecord)
    assert (first.source, first.index, first.line, first.data) == ("-", 1, 1, {"name": "a"})
    assert isinstance(bad, FileProblem)
    assert (bad.index, bad.finding.line) == (2, 2)
    assert isinstance(last, RawRecord)
    assert (last.index, last.line, last.data) == (3, 4, {"name": "c"})


def test_stdin_long_jsonl_streams_past_the_sniff_window() -> None:
    lines = b"".join(b'{"i": %d, "pad": "%s"}\n' % (i, b"p" * 100) for i in range(2000))
    records = _records(list(read_records("-", stdin=io.BytesIO(lines))))
    assert len(records) == 2000
    assert (records[-1].line, records[-1].data["i"]) == (2000, 1999)


def test_stdin_yaml_and_empty() -> None:
    records = _records(list(read_records("-", stdin=io.BytesIO(b"name: a\n"))))
    assert [r.data for r in records] == [{"name": "a"}]
    problem = _only_problem(list(read_records("-", stdin=io.BytesIO(b""))))
    assert (problem.source, problem.finding.rule) == ("-", "file.empty")


def test_stdin_broken_json_is_reported_as_json() -> None:
    problem = _only_problem(list(read_records("-", stdin=io.BytesIO(b'[{"a": 1},\n  oops]'))))
    assert problem.finding.message.en.startswith("Not valid JSON:")
    assert (problem.finding.line, problem.finding.column) == (2, 3)


# --------------------------------------------------------------------------- paths


def test_iter_paths_nested_directory(tmp_path: Path) -> None:
    root = tmp_path / "in"
    (root / "b" / "deep").mkdir(parents=True)
    (root / ".hidden").mkdir()
    for name in [
        "z.json",
        "a.yaml",
        "b/deep/x.CSV",
        "b/c.jsonl",
        "b/notes.txt",
        ".secret.json",
        ".hidden/h.json",
        "~$book.xlsx",
        "m.xlsx",
        "n.ndjson",
        "t.tsv",
        "y.yml",
    ]:
        (root / name).write_text("{}")
    expected = [
        f"{root}/a.yaml",
        f"{root}/b/c.jsonl",
        f"{root}/b/deep/x.CSV",
        f"{root}/m.xlsx",
        f"{root}/n.ndjson",
        f"{root}/t.tsv",
        f"{root}/y.yml",
        f"{root}/z.json",
    ]
    assert list(iter_paths([str(root)])) == expected
    assert list(iter_paths([str(root)])) == expected  # deterministic
    notes = str(root / "b" / "notes.txt")
    assert list(iter_paths(["-", notes, str(root / "b")])) == [
        "-",
        notes,
        f"{root}/b/c.jsonl",
        f"{root}/b/deep/x.CSV",
    ]


def test_iter_paths_symlink_loop(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.json").write_text("{}")
    (tmp_path / "d" / "loop").symlink_to(tmp_path / "d")
    assert list(iter_paths([str(tmp_path / "d")])) == [f"{tmp_path}/d/a.json"]


def test_iter_paths_missing_raises(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope" / "x.json")
    with pytest.raises(InputError, match=re.escape(missing)) as excinfo:
        iter_paths([str(tmp_path), missing])
    with pytest.raises(InputError):
        iter_records([missing])
    assert str(excinfo.value) == f"{missing}: no such file or directory"


def test_iter_records_many_files_no_fd_leak(tmp_path: Path) -> None:
    root = tmp_path / "many"
    root.mkdir()
    for i in range(10_000):
        (root / f"{i:05d}.json").write_text(f'{{"name": "d{i}"}}')
    before = _fd_count()
    count = 0
    peak = before
    for item in iter_records([str(root)]):
        assert isinstance(item, RawRecord)
        if count % 500 == 0:
            peak = max(peak, _fd_count())
        count += 1
        if count == 1:
            assert item.data == {"name": "d0"}
    assert count == 10_000
    assert peak <= before + 2
    assert _fd_count() == before


def test_iter_records_mixes_records_and_problems(tmp_path: Path) -> None:
    _write(tmp_path / "a.json", '{"name": "a"}')
    _write(tmp_path / "b.json", "{oops")
    _write(tmp_path / "c.csv", "name\nc\n")
    items = list(iter_records([str(tmp_path)]))
    assert [type(item).__name__ for item in items] == ["RawRecord", "FileProblem", "RawRecord"]
    assert [item.source for item in items] == [
        str(tmp_path / "a.json"),
        str(tmp_path / "b.json"),
        str(tmp_path / "c.csv"),
    ]
