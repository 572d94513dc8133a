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
from satudata_cli.cli.i18n import helptext, say
from satudata_cli.cli.options import LangOption
from satudata_cli.core.i18n import Message
from satudata_cli.core.messages import M

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


def _what(path: PurePosixPath) -> Message:
    """What a starter file is, said in the list of files written."""
    top = path.parts[0]
    if top == "schemas":
        return M.init_schema
    if top == "data":
        return M.init_sheet
    if top == "profiles":
        return M.init_profile
    if top == "targets":
        return M.init_target
    return M.init_source


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
            help=helptext(M.help_init_dir),
            show_default=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help=helptext(M.help_init_force))] = False,
    lang: LangOption = None,
) -> None:
    """Write a commented starter configuration (help: ``M.help_init``)."""
    resolve_lang(lang)
    opts = options(ctx)
    if directory is None:
        directory = opts.config_dir_given or user_config_dir()
    if directory.exists() and not directory.is_dir():
        raise fail(M.init_not_folder.format(dir=directory))
    files = starter_files()
    existing = [str(rel) for rel in files if (directory / rel).exists()]
    if existing and not force:
        raise fail(M.init_exists.format(dir=directory, files=", ".join(existing)))
    for rel, content in files.items():
        path = directory / rel
        try:
            _write(path, content)
        except OSError as exc:
            raise fail(M.init_cannot_write.format(path=path, reason=exc.strerror or exc)) from None
    out = sys.stdout
    out.write(say(M.init_written.format(dir=directory)) + "\n")
    width = max(len(str(rel)) for rel in files)
    for rel in files:
        out.write(f"  {rel!s:<{width}}  {say(_what(rel))}\n")
    flag = _config_flag(directory)
    sheet, ckan = _keys(files, SPREADSHEET_FILE)["id"], _keys(files, CKAN_FILE)["id"]
    target = _keys(files, TARGET_FILE)
    steps = [
        (f"satudata{flag} sources list", say(M.init_step_list)),
        (f"satudata{flag} sources check {sheet}", say(M.init_step_check)),
        (f"satudata{flag} harvest {sheet}", say(M.init_step_harvest)),
        (f"satudata{flag} catalog stats", say(M.init_step_stats)),
        (f"satudata{flag} info", say(M.init_step_info)),
    ]
    later = [
        (f"satudata{flag} sources check {ckan}", ""),
        (f"export {target['token_env']}=...", say(M.init_step_token)),
        (f"satudata{flag} publish {target['id']} --dry-run", say(M.init_step_publish)),
    ]
    out.write("\n" + say(M.init_next) + "\n")
    width = max(len(command) for command, _ in steps + later)
    for command, why in steps:
        out.write(f"  {command:<{width}}  # {why}\n")
    out.write("  # " + say(M.init_step_edit.format(ckan=CKAN_FILE, target=TARGET_FILE)) + "\n")
    for command, why in later:
        out.write(f"  {command:<{width}}" + (f"  # {why}" if why else "") + "\n")
    raise typer.Exit(int(ExitCode.OK))
