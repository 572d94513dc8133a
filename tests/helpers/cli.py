"""Running the CLI in process against a catalogue and a config folder in tmp_path."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner, Result

from satudata_cli.cli import app


def write_source(cfg: Path, source_id: str, **fields: Any) -> Path:
    cfg.mkdir(parents=True, exist_ok=True)
    path = cfg / f"{source_id}.yaml"
    path.write_text(
        yaml.safe_dump({"id": source_id, **fields}, allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    return path


class Cli:
    """Runs ``satudata --db DB --config-dir CFG ...`` in process."""

    def __init__(self, db: Path, cfg: Path) -> None:
        self.db = db
        self.cfg = cfg

    def __call__(self, *args: str | Path, env: dict[str, str] | None = None) -> Result:
        argv = ["--db", str(self.db), "--config-dir", str(self.cfg), *map(str, args)]
        result = CliRunner().invoke(app, argv, env=env)
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(
            result.exception
        )
        assert "Traceback" not in result.stdout + result.stderr
        return result


def squash(text: str) -> str:
    return " ".join(re.sub(r"[│┃╭╮╰╯─━┏┓┗┛┡┩└┘┌┐╇╈┼┳┻]", " ", text).split())


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))
