"""``satudata init [DIR]``: write a commented starter configuration.

The starter lives in ``satudata_cli/cli/starter/`` (shipped in the wheel, read with
:mod:`importlib.resources`): one CKAN source, one spreadsheet source over an example
sheet (``data/daftar-data.csv``), a walidata profile and a publish target, each with
comments in Indonesian and English. The JSON Schemas of the three kinds of file are
written beside them (``schemas/``), so that an editor with a YAML language server
completes and checks the files (their first line names the schema).

DIR defaults to ``--config-dir`` / ``SATUDATA_CONFIG_DIR`` when given, else the
user-level config folder (``$XDG_CONFIG_HOME/satudata``); never the project folder.
Existing files are never overwritten without ``--force``: then nothing is written.
"""

from __future__ import annotations

import os
import shlex
import sys
import tempfile
from collections.abc import Iterator
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path, PurePosixPath
from typing import Annotated, Any, Final

import typer

from satudata_cli.cli.common import fail, resolve_lang
from satudata_cli.cli.context import (
    Origin,
    options,
    resolve_config_dir,
    user_config_dir,
)
from satudata_cli.cli.exitcodes import ExitCode
from satudata_cli.cli.options import LangOption
from satudata_cli.core.i18n import Lang

#: The schemas written beside the starter, by kind (``schema export --config KIND``).
SCHEMA_FILES: Final = {
    "source": "schemas/source.schema.json",
    "target": "schemas/target.schema.json",
    "profile": "schemas/profile.schema.json",
}

#: The starter's files named in the next commands.
SPREADSHEET_FILE: Final = PurePosixPath("daftar-data.yaml")
CKAN_FILE: Final = PurePosixPath("portal-ckan.yaml")
TARGET_FILE: Final = PurePosixPath("targets/portal.yaml")

_TEXT: Final[dict[Lang, dict[str, str]]] = {
    "id": {
        "written": "Konfigurasi awal ditulis ke {dir}:",
        "exists": ("{dir} sudah berisi {files}; tidak ada yang ditulis (--force menimpanya)"),
        "not_folder": "{dir} bukan folder",
        "cannot_write": "tidak dapat menulis {path}: {reason}",
        "next": "Langkah berikutnya:",
        "step_list": "sumber yang terkonfigurasi",
        "step_check": "pratinjau lembar contoh, tanpa menulis",
        "step_harvest": "panen ke katalog",
        "step_stats": "isi katalog",
        "step_edit": "ganti url di {ckan} dan {target}, lalu:",
        "step_token": "token API portal (jangan ditulis di berkas)",
        "step_publish": "apa yang akan berubah di portal",
        "step_info": "lokasi yang dipakai",
        "source": "sumber",
        "profile": "profil",
        "target": "tujuan terbit",
        "sheet": "lembar contoh",
        "schema": "JSON Schema untuk editor",
    },
    "en": {
        "written": "Starter configuration written to {dir}:",
        "exists": "{dir} already holds {files}; nothing written (--force overwrites)",
        "not_folder": "{dir} is not a folder",
        "cannot_write": "cannot write {path}: {reason}",
        "next": "Next:",
        "step_list": "the configured sources",
        "step_check": "preview the example sheet, writes nothing",
        "step_harvest": "harvest into the katalog",
        "step_stats": "what the katalog holds",
        "step_edit": "set the url in {ckan} and {target}, then:",
        "step_token": "the portal's API token (never in a file)",
        "step_publish": "what would change on the portal",
        "step_info": "the locations in use",
        "source": "source",
        "profile": "profile",
        "target": "publish target",
        "sheet": "example sheet",
        "schema": "JSON Schema for editors",
    },
}


def _starter() -> Traversable:
    return resources.files("satudata_cli.cli").joinpath("starter")


def _walk(folder: Traversable, prefix: PurePosixPath) -> Iterator[tuple[PurePosixPath, bytes]]:
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.startswith((".", "__")):
            continue
        if entry.is_dir():
            yield from _walk(entry, prefix / entry.name)
        else:
            yield prefix / entry.name, entry.read_bytes()


def starter_files() -> dict[PurePosixPath, bytes]:
    """Relative path -> content of every file ``init`` writes (the schemas included)."""
    import json

    from satudata_cli.standard.schema import config_schema

    files = dict(_walk(_starter(), PurePosixPath()))
    for kind, name in SCHEMA_FILES.items():
        text = json.dumps(config_schema(kind), ensure_ascii=False, indent=2) + "\n"
        files[PurePosixPath(name)] = text.encode("utf-8")
    return files


def _what(path: PurePosixPath) -> str:
    """The kind of a starter file, a key of ``_TEXT``."""
    top = path.parts[0]
    if top == "schemas":
        return "schema"
    if top == "data":
        return "sheet"
    if top == "profiles":
        return "profile"
    if top == "targets":
        return "target"
    return "source"


def _keys(files: dict[PurePosixPath, bytes], name: PurePosixPath) -> dict[str, Any]:
    """The top-level keys of a starter YAML file (its id, its token_env)."""
    import yaml

    data = yaml.safe_load(files[name].decode("utf-8"))
    assert isinstance(data, dict), name
    return data


def _write(path: Path, content: bytes) -> None:
    """Write atomically: a file is there whole or not at all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(content)
        umask = os.umask(0)
        os.umask(umask)
        Path(name).chmod(0o666 & ~umask)
        Path(name).replace(path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def _config_flag(target: Path) -> str:
    """`` --config-dir DIR`` when the commands run here would not find ``target`` by
    themselves (the variable, the project folder or the user default decide otherwise)."""
    given = os.environ.get("SATUDATA_CONFIG_DIR") or None
    found = resolve_config_dir(Path(given) if given else None, Origin.env).path
    if found.resolve() == target.resolve():
        return ""
    return f" --config-dir {shlex.quote(str(target))}"


def init(
    ctx: typer.Context,
    directory: Annotated[
        Path | None,
        typer.Argument(
            metavar="DIR",
            help="Where to write (default: --config-dir / SATUDATA_CONFIG_DIR if given, "
            "else the user's config folder, $XDG_CONFIG_HOME/satudata).",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite files that already exist.")
    ] = False,
    lang: LangOption = None,
) -> None:
    """Write a commented starter configuration: two sources, a profile, a publish target.

    Exit codes: 0 written; 2 a file already exists (nothing written) or DIR cannot
    be written.

    Tulis konfigurasi awal berkomentar: dua sumber, satu profil, satu tujuan terbit.
    """
    text = _TEXT[resolve_lang(lang)]
    opts = options(ctx)
    if directory is None:
        directory = opts.config_dir_given or user_config_dir()
    if directory.exists() and not directory.is_dir():
        raise fail(text["not_folder"].format(dir=directory))
    files = starter_files()
    existing = [str(rel) for rel in files if (directory / rel).exists()]
    if existing and not force:
        raise fail(text["exists"].format(dir=directory, files=", ".join(existing)))
    for rel, content in files.items():
        path = directory / rel
        try:
            _write(path, content)
        except OSError as exc:
            raise fail(text["cannot_write"].format(path=path, reason=exc.strerror or exc)) from None
    out = sys.stdout
    out.write(text["written"].format(dir=directory) + "\n")
    width = max(len(str(rel)) for rel in files)
    for rel in files:
        out.write(f"  {rel!s:<{width}}  {text[_what(rel)]}\n")
    flag = _config_flag(directory)
    sheet, ckan = _keys(files, SPREADSHEET_FILE)["id"], _keys(files, CKAN_FILE)["id"]
    target = _keys(files, TARGET_FILE)
    steps = [
        (f"satudata{flag} sources list", text["step_list"]),
        (f"satudata{flag} sources check {sheet}", text["step_check"]),
        (f"satudata{flag} harvest {sheet}", text["step_harvest"]),
        (f"satudata{flag} catalog stats", text["step_stats"]),
        (f"satudata{flag} info", text["step_info"]),
    ]
    later = [
        (f"satudata{flag} sources check {ckan}", ""),
        (f"export {target['token_env']}=...", text["step_token"]),
        (f"satudata{flag} publish {target['id']} --dry-run", text["step_publish"]),
    ]
    out.write("\n" + text["next"] + "\n")
    width = max(len(command) for command, _ in steps + later)
    for command, why in steps:
        out.write(f"  {command:<{width}}  # {why}\n")
    out.write("  # " + text["step_edit"].format(ckan=CKAN_FILE, target=TARGET_FILE) + "\n")
    for command, why in later:
        out.write(f"  {command:<{width}}" + (f"  # {why}" if why else "") + "\n")
    raise typer.Exit(int(ExitCode.OK))
