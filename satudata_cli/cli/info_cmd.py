"""``satudata info``: which locations are in use and where each choice came from.

For a person setting up cron or a new machine: the config folder and the katalog with
their origin (flag, env, project folder, user default), the user-level defaults, the
version, the katalog's schema version (this satudata's and the file's), the schemas
folder in use and the absolute path of this ``satudata`` (for a crontab). Reads
nothing but file metadata and, when the katalog exists, its schema version (read-only).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Final

import typer

from satudata_cli import __version__
from satudata_cli.cli.common import cli_errors, resolve_lang
from satudata_cli.cli.context import (
    CONFIG_DIR_ENVVAR,
    DB_ENVVAR,
    Location,
    Origin,
    options,
    user_config_dir,
    user_db,
)
from satudata_cli.cli.options import (
    InfoFormatOption,
    JsonOption,
    LangOption,
    TextOrJson,
    text_or_json,
)
from satudata_cli.core.i18n import Lang

_ORIGIN_TEXT: Final[dict[Lang, dict[Origin, str]]] = {
    "id": {
        Origin.flag: "opsi {flag}",
        Origin.env: "variabel {env}",
        Origin.project: "folder proyek (folder kerja saat ini)",
        Origin.user: "bawaan pengguna",
    },
    "en": {
        Origin.flag: "option {flag}",
        Origin.env: "variable {env}",
        Origin.project: "project folder (the current folder)",
        Origin.user: "user default",
    },
}

_TEXT: Final[dict[Lang, dict[str, str]]] = {
    "id": {
        "config_dir": "folder konfigurasi",
        "db": "katalog",
        "user_config_dir": "folder konfigurasi pengguna",
        "user_db": "katalog pengguna",
        "schema": "versi skema katalog",
        "schemas": "folder skema",
        "command": "perintah",
        "from": "dari",
        "missing": "belum ada",
        "files": "{n} berkas sumber",
        "file_version": "berkas: {v}",
        "no_file": "belum ada berkas",
        "unreadable": "tidak terbaca: {error}",
        "in_use": "dipakai",
        "unused": "tidak dipakai",
    },
    "en": {
        "config_dir": "config folder",
        "db": "katalog",
        "user_config_dir": "user config folder",
        "user_db": "user katalog",
        "schema": "katalog schema version",
        "schemas": "schemas folder",
        "command": "command",
        "from": "from",
        "missing": "does not exist yet",
        "files": "{n} source files",
        "file_version": "file: {v}",
        "no_file": "no file yet",
        "unreadable": "unreadable: {error}",
        "in_use": "in use",
        "unused": "not in use",
    },
}

_FLAGS: Final = {"config_dir": ("--config-dir", CONFIG_DIR_ENVVAR), "db": ("--db", DB_ENVVAR)}


def _absolute(path: Path) -> Path:
    return Path(path).expanduser().absolute()


def _location(kind: str, location: Location) -> dict[str, Any]:
    path = _absolute(location.path)
    flag, env = _FLAGS[kind]
    out: dict[str, Any] = {
        "path": str(path),
        "from": location.origin.value,
        "exists": path.exists(),
    }
    if location.origin is Origin.flag:
        out["option"] = flag
    elif location.origin is Origin.env:
        out["variable"] = env
    return out


def _source_files(folder: Path) -> int | None:
    if not folder.is_dir():
        return None
    return sum(1 for p in folder.iterdir() if p.suffix.lower() in (".yaml", ".yml"))


def _catalogue_versions(db: Path) -> tuple[int, int | None, str | None]:
    """(this satudata's schema version, the file's or None, an error or None)."""
    from satudata_cli.catalogue import SCHEMA_VERSION, Catalogue, CatalogueError

    if not db.is_file():
        return SCHEMA_VERSION, None, None
    try:
        return SCHEMA_VERSION, Catalogue.file_schema_version(db), None
    except CatalogueError as exc:
        return SCHEMA_VERSION, None, str(exc)


def _command() -> str | None:
    """The absolute path of this ``satudata`` script (beside the interpreter)."""
    script = Path(sys.executable).parent / "satudata"
    return str(script) if script.is_file() else None


def collect(ctx: typer.Context) -> dict[str, Any]:
    """Everything ``info`` shows, as one JSON-ready object."""
    from satudata_cli.standard.schema import schemas_dir

    opts = options(ctx)
    config = _location("config_dir", opts.config_location)
    config["source_files"] = _source_files(opts.config_dir)
    db = _location("db", opts.db_location)
    code_version, file_version, error = _catalogue_versions(opts.db)
    db["schema_version"] = file_version
    if error is not None:
        db["error"] = error
    user_config, user_katalog = _absolute(user_config_dir()), _absolute(user_db())
    return {
        "version": __version__,
        "config_dir": config,
        "db": db,
        "catalogue_schema_version": code_version,
        "user_config_dir": {"path": str(user_config), "exists": user_config.is_dir()},
        "user_db": {"path": str(user_katalog), "exists": user_katalog.is_file()},
        "schemas_dir": str(schemas_dir()),
        "command": _command(),
        "python": sys.version.split()[0],
    }


def _origin(kind: str, entry: dict[str, Any], lang: Lang) -> str:
    flag, env = _FLAGS[kind]
    return _ORIGIN_TEXT[lang][Origin(entry["from"])].format(flag=flag, env=env)


def render_text(info: dict[str, Any], lang: Lang) -> str:
    text = _TEXT[lang]
    config, db = info["config_dir"], info["db"]
    rows: list[tuple[str, str]] = []
    state = (
        text["files"].format(n=config["source_files"])
        if config["source_files"] is not None
        else text["missing"]
    )
    rows.append(
        (
            text["config_dir"],
            f"{config['path']}  ({text['from']} {_origin('config_dir', config, lang)}; {state})",
        )
    )
    db_state = text["missing"] if not db["exists"] else ""
    if "error" in db:
        db_state = text["unreadable"].format(error=db["error"])
    rows.append(
        (
            text["db"],
            f"{db['path']}  ({text['from']} {_origin('db', db, lang)}"
            + (f"; {db_state}" if db_state else "")
            + ")",
        )
    )
    version = str(info["catalogue_schema_version"])
    file_version = (
        text["file_version"].format(v=db["schema_version"])
        if db["schema_version"] is not None
        else text["no_file"]
    )
    rows.append((text["schema"], f"{version} ({file_version})"))
    for key, used in (("user_config_dir", config), ("user_db", db)):
        entry = info[key]
        mark = text["in_use"] if entry["path"] == used["path"] else text["unused"]
        exists = "" if entry["exists"] else f", {text['missing']}"
        rows.append((text[key], f"{entry['path']}  ({mark}{exists})"))
    rows.append((text["schemas"], info["schemas_dir"]))
    if info["command"]:
        rows.append((text["command"], info["command"]))
    width = max(len(label) for label, _ in rows)
    lines = [f"satudata {info['version']} (Python {info['python']})"]
    lines += [f"{label + ':':<{width + 1}} {value}" for label, value in rows]
    return "\n".join(lines) + "\n"


def info(
    ctx: typer.Context,
    output_format: InfoFormatOption = TextOrJson.text,
    as_json: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Show where the config folder and the katalog are, and why; versions.

    For each location: the option, variable, project folder or user default it came
    from. Also the user defaults, the katalog's schema version (read-only), the schemas
    folder and the absolute path of this satudata (for a crontab). Exit 0.

    Tampilkan lokasi folder konfigurasi dan katalog yang dipakai beserta asalnya.
    """
    chosen = resolve_lang(lang)
    with cli_errors():
        data = collect(ctx)
        if text_or_json(output_format, as_json) is TextOrJson.json:
            sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        else:
            sys.stdout.write(render_text(data, chosen))
