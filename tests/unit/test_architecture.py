"""The layers of docs/architecture.md, as import-linter checks them in CI.

``scripts/test.sh`` runs ``lint-imports``; these tests make sure that stays so, that the
contract covers every package of ``satudata_cli`` (a new package cannot slip outside it)
and that the contract really breaks on an upward import.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "satudata_cli"


def _contract() -> dict[str, object]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = config["tool"]["importlinter"]["contracts"]
    assert contract["type"] == "layers"
    return dict(contract)


def _layered_packages() -> list[str]:
    layers = _contract()["layers"]
    assert isinstance(layers, list)
    return [name.strip() for layer in layers for name in str(layer).split("|")]


def _lint_imports() -> str:
    found = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    if not Path(found).exists():
        pytest.fail("lint-imports is not installed (pip install -e '.[dev]')")
    return found


def test_the_test_script_runs_the_contract() -> None:
    script = (ROOT / "scripts" / "test.sh").read_text(encoding="utf-8")
    lines = [line.strip() for line in script.splitlines()]
    assert "lint-imports" in lines
    assert lines.index("lint-imports") < next(
        i for i, x in enumerate(lines) if x.startswith("pytest")
    )


def test_every_package_is_in_a_layer() -> None:
    packages = {
        f"satudata_cli.{path.parent.name}"
        for path in PACKAGE.glob("*/__init__.py")
        if not path.parent.name.startswith("_")
    }
    modules = {f"satudata_cli.{path.stem}" for path in PACKAGE.glob("*.py")}
    assert modules <= {"satudata_cli.__init__", "satudata_cli.__main__"}, (
        "a top-level module outside the layers; put it in a package (core/ for shared code)"
    )
    assert sorted(packages - set(_layered_packages())) == []
    assert _layered_packages()[0] == "satudata_cli.cli"
    assert _layered_packages()[-1] == "satudata_cli.core"


def test_contract_is_kept() -> None:
    done = subprocess.run(
        [_lint_imports()], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "1 kept, 0 broken" in done.stdout


def test_contract_breaks_on_an_upward_import(tmp_path: Path) -> None:
    """A copy of the package where core imports the catalogue: lint-imports must fail."""
    copy = tmp_path / "tree"
    shutil.copytree(PACKAGE, copy / "satudata_cli", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    errors = copy / "satudata_cli" / "core" / "errors.py"
    errors.write_text(
        errors.read_text(encoding="utf-8") + "\nimport satudata_cli.catalogue.db  # upward\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [_lint_imports(), "--no-cache"],
        cwd=copy,
        env={"PYTHONPATH": str(copy), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode != 0
    assert "satudata_cli.core.errors -> satudata_cli.catalogue.db" in done.stdout
