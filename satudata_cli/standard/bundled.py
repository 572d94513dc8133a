"""The bundled YAML files of the standard, parsed ahead of time.

``schemas/vocabularies.yaml`` and the built-in profiles (``schemas/profiles/*.yaml``)
are written by people (comments, sources), and every ``satudata validate`` needs them.
Reading them as YAML means importing PyYAML and running its constructor, written in
Python: about a tenth of ``satudata validate ONE.json``, more than the validation
itself (docs/benchmarks.md, start-up). ``schemas/bundled-yaml.json`` keeps the data of
each of those files beside the SHA-256 of its text, and :func:`bundled_yaml` returns
that data only while the file still has exactly that text: like a ``.pyc`` file, the
copy is used when it matches its source and ignored when it does not (an edited file
is read as YAML again, so an edit always counts).

``tests/unit/test_bundled_yaml.py`` fails when the committed copy is out of date;
regenerate it after editing one of :data:`SOURCES` with::

    .venv/bin/python -c "from satudata_cli.standard.bundled import write_bundle; write_bundle()"
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

#: the file in ``schemas/`` that holds the parsed copies
BUNDLE = "bundled-yaml.json"
#: the YAML files of ``schemas/`` copied into it (paths relative to ``schemas/``)
SOURCES = ("vocabularies.yaml", "profiles/sdi-dasar.yaml", "profiles/sdi-statistik.yaml")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@cache
def _bundle(directory: Path) -> dict[str, Any]:
    try:
        found = json.loads((directory / BUNDLE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # no copy (or a broken one): every file is read as YAML
    return found if isinstance(found, dict) else {}


def bundled_yaml(directory: Path, name: str, text: str) -> Any | None:
    """The parsed data of ``directory/name`` when ``text`` (its content) is the text it
    was parsed from; None otherwise, and the caller reads the YAML."""
    entry = _bundle(directory).get(name)
    if not isinstance(entry, dict) or entry.get("sha256") != _digest(text):
        return None
    return entry.get("data")


def build_bundle(directory: Path) -> dict[str, Any]:
    """The parsed copy of every file of :data:`SOURCES` in ``directory`` (PyYAML's safe
    loader: what the files give when read as YAML)."""
    import yaml

    bundle: dict[str, Any] = {
        "$comment": "Generated from the YAML files named here; see satudata_cli/standard/"
        "bundled.py. Edit the YAML, then regenerate this file.",
    }
    for name in SOURCES:
        text = (directory / name).read_text(encoding="utf-8")
        bundle[name] = {"sha256": _digest(text), "data": yaml.safe_load(text)}
    return bundle


def write_bundle(directory: Path | None = None) -> Path:
    """Regenerate ``schemas/bundled-yaml.json`` (the source tree's, by default)."""
    if directory is None:
        directory = Path(__file__).resolve().parents[2] / "schemas"
    path = directory / BUNDLE
    text = json.dumps(build_bundle(directory), ensure_ascii=False, indent=1)  # order kept
    path.write_text(text + "\n", encoding="utf-8")
    _bundle.cache_clear()
    return path
