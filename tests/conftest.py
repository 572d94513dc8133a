"""Shared fixtures: a clean environment for every test, the bundled standard, a validator
pinned to one day, a valid record; and the tier markers (unit, cli, integration, e2e,
reliability) taken from the folder a test lives in."""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from satudata_cli.standard.findings import RecordResult
from satudata_cli.standard.schema import Standard, load_standard
from satudata_cli.standard.validator import Validator

TODAY = date(2026, 11, 28)
TIERS = ("unit", "cli", "integration", "e2e", "reliability")

# A complete Kota Medan record under sdi-dasar: every required and recommended field
# filled, canonical values only, so it yields no finding at all as of TODAY.
_VALID_RECORD: dict[str, Any] = {
    "name": "jumlah-penduduk-kota-medan",
    "title": "Jumlah Penduduk Menurut Kecamatan dan Jenis Kelamin di Kota Medan",
    "notes": (
        "Jumlah penduduk Kota Medan per kecamatan menurut jenis kelamin, "
        "hasil registrasi penduduk Dinas Kependudukan dan Pencatatan Sipil."
    ),
    "organization": "Pemerintah Kota Medan",
    "produsen_data": "Dinas Kependudukan dan Pencatatan Sipil Kota Medan",
    "walidata": "Dinas Komunikasi dan Informatika Kota Medan",
    "konsep": "Penduduk",
    "definisi": (
        "Semua orang yang berdomisili di wilayah Kota Medan selama enam bulan atau lebih, "
        "atau kurang dari enam bulan tetapi bertujuan menetap."
    ),
    "sumber_definisi": "Badan Pusat Statistik",
    "ukuran": "Jumlah",
    "satuan": "jiwa",
    "jadwal_pemutakhiran": "tahunan",
    "tanggal_dibuat": "2021-03-15",
    "tanggal_diperbarui": "2026-06-01",
    "format": ["csv", "xlsx"],
    "link_akses": "https://data.pemkomedan.go.id/dataset/jumlah-penduduk-kota-medan",
    "klasifikasi_akses": "terbuka",
    "level_penyajian": "kecamatan",
    "kode_wilayah": "12.71",
    "tahun": 2025,
    "kode_standar_data": "DS.00001.01.01",
    "kontak": {
        "nama": "Seksi Data Disdukcapil",
        "email": "data.disdukcapil@pemkomedan.go.id",
    },
    "tags": ["kependudukan", "penduduk"],
    "license_id": "cc-by",
    "resources": [
        {
            "name": "Jumlah Penduduk 2025 (CSV)",
            "url": "https://data.pemkomedan.go.id/files/penduduk-2025.csv",
            "format": "csv",
            "last_modified": "2026-06-01",
        }
    ],
}


def _rules_of(result: RecordResult) -> set[str]:
    return {finding.rule for finding in result.findings}


@pytest.fixture(scope="session")
def standard() -> Standard:
    return load_standard()


@pytest.fixture
def validator(standard: Standard) -> Validator:
    """The default profile (sdi-dasar), judging dates as of 2026-11-28."""
    return Validator(standard=standard, today=TODAY)


@pytest.fixture
def valid_record() -> dict[str, Any]:
    """A fresh copy of a complete, finding-free sdi-dasar record (Kota Medan)."""
    return copy.deepcopy(_VALID_RECORD)


@pytest.fixture(scope="session")
def rules_of() -> Callable[[RecordResult], set[str]]:
    """``rules_of(result)``: the set of rule ids among a result's findings."""
    return _rules_of


_EXTERNAL = re.compile(r"""(?:src|href|xlink:href|action)\s*=\s*["']?\s*(?:https?:)?//""", re.I)


def _html_checks(page: str, scripts_allowed: int = 1) -> None:
    """A report page loads nothing: no external src/href, no stylesheet link, no
    script file, no @import or url() in the CSS; only the one inline sort script
    (``scripts_allowed=0``: a page without sortable tables carries none)."""
    assert page.lstrip().startswith("<!DOCTYPE html>")
    assert not _EXTERNAL.search(page), _EXTERNAL.search(page)
    assert "<link" not in page.lower()
    assert "@import" not in page and "url(" not in page
    scripts = re.findall(r"<script\b[^>]*>", page, re.I)
    assert scripts == ["<script>"] * scripts_allowed, scripts


@pytest.fixture(scope="session")
def html_checks() -> Callable[..., None]:
    return _html_checks


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test with its tier, the folder it lives in: ``pytest -m unit`` runs
    the fast tier, ``pytest -m "not e2e"`` everything but real CKAN and Chromium."""
    for item in items:
        tier = item.path.parent.name
        if tier in TIERS:
            item.add_marker(getattr(pytest.mark, tier))


@pytest.fixture(autouse=True)
def _clean_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """No SATUDATA_* settings, colour or locale leaking in from the developer's shell,
    and user-level folders of the test's own ($XDG_CONFIG_HOME, $XDG_DATA_HOME, not yet
    created), so that no test reads or writes the developer's ~/.config/satudata."""
    xdg = tmp_path_factory.mktemp("xdg")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(xdg / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(xdg / "data"))
    for name in list(os.environ):
        if name.startswith("SATUDATA_"):
            monkeypatch.delenv(name)
    for name in (
        "NO_COLOR",
        "FORCE_COLOR",
        "CLICOLOR",
        "CLICOLOR_FORCE",
        "TTY_COMPATIBLE",
        "TTY_INTERACTIVE",
        "COLUMNS",
        "LINES",
        "LC_ALL",
        "LC_MESSAGES",
        "LANGUAGE",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
