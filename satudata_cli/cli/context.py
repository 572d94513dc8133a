"""Global options (``--config-dir``, ``--db``, ``--log-format``, ``-q``/``-v``), where the
configuration and the katalog live, and logging.

Locations (docs/configuration.md, "Where satudata looks"), first match wins:

- ``flag``: ``--config-dir PATH`` / ``--db PATH``;
- ``env``: ``SATUDATA_CONFIG_DIR`` / ``SATUDATA_DB``;
- ``project``: ``./harvest_configs/`` if present / ``./satudata.db`` if the current
  folder holds ``harvest_configs/`` or ``satudata.db``;
- ``user``: ``$XDG_CONFIG_HOME/satudata`` / ``$XDG_DATA_HOME/satudata/satudata.db``.

The user-level folders come from platformdirs: on Linux it is the XDG base directory
specification (``~/.config`` and ``~/.local/share`` when the variables are unset or
not absolute), on macOS and Windows the platform's own folders. A project folder (a
clone of this repository, a folder an agency keeps its configuration in) keeps working
as it did before the user-level folders existed. Nothing is resolved until a command
asks (``satudata --version`` and ``validate`` touch no file for it).

``--log-format json`` writes one JSON object per line on stderr, for every message:
the library's log records and the CLI's own messages (errors, "no source is due",
interrupted) alike (:func:`log_event`). Every object has ``ts``, ``level``, ``event``
(a stable snake_case name), ``source``, ``job_id`` and ``error`` (null when they do not
apply), ``message`` (the text a person would read) and ``logger``; records about a
harvested source or a publish target carry more fields (the counts ``added``,
``updated``, ``unchanged``, ``withdrawn``, ``restored``, ``errored``, ``invalid``;
``remote_id``, ``target``, ``exit_code``, ...). ``source`` and ``job_id`` come from the
record, else from :mod:`satudata_cli.core.logcontext`. A field whose name a LogRecord
keeps for itself (``created``) is passed as ``extra={"fields": {...}}``.

:class:`SatudataGroup` is the root command's class: it lets ``-q``/``-v`` come after
the subcommand too (``satudata harvest -v`` as ``satudata -v harvest``) and shows
flags without a ``<bool>`` type in ``--help``.
"""

from __future__ import annotations

import copy
import json
import logging
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Any, Final

import typer
from typer.core import TyperGroup

from satudata_cli.cli.i18n import current_lang
from satudata_cli.core import logcontext
from satudata_cli.core.i18n import Message
from satudata_cli.core.messages import VALUES, M

APP_NAME: Final = "satudata"
PROJECT_CONFIG_DIR: Final = Path("harvest_configs")
PROJECT_DB: Final = Path("satudata.db")
CONFIG_DIR_ENVVAR: Final = "SATUDATA_CONFIG_DIR"
DB_ENVVAR: Final = "SATUDATA_DB"


class LogFormat(StrEnum):
    text = "text"
    json = "json"


class Origin(StrEnum):
    """Where a location came from, strongest first."""

    flag = "flag"  # --config-dir / --db
    env = "env"  # SATUDATA_CONFIG_DIR / SATUDATA_DB
    project = "project"  # ./harvest_configs, ./satudata.db in the current folder
    user = "user"  # the user-level default ($XDG_CONFIG_HOME, $XDG_DATA_HOME)


@dataclass(frozen=True)
class Location:
    """A path satudata uses and where the choice came from."""

    path: Path
    origin: Origin


def user_config_dir() -> Path:
    """The user-level config folder: ``$XDG_CONFIG_HOME/satudata`` (``~/.config/satudata``)."""
    import platformdirs  # only when no flag, variable or project folder decides

    return platformdirs.user_config_path(APP_NAME, appauthor=False)


def user_db() -> Path:
    """The user-level katalog: ``$XDG_DATA_HOME/satudata/satudata.db``
    (``~/.local/share/satudata/satudata.db``)."""
    import platformdirs

    return platformdirs.user_data_path(APP_NAME, appauthor=False) / PROJECT_DB.name


def is_project_folder(folder: Path) -> bool:
    """A folder that holds ``harvest_configs/`` or ``satudata.db`` (a project's own)."""
    return (folder / PROJECT_CONFIG_DIR).is_dir() or (folder / PROJECT_DB).is_file()


def resolve_config_dir(given: Path | None, origin: Origin, cwd: Path | None = None) -> Location:
    """``given`` (from ``origin``: flag or env), else the project's, else the user's."""
    if given is not None:
        return Location(given, origin)
    here = Path() if cwd is None else cwd
    if (here / PROJECT_CONFIG_DIR).is_dir():
        return Location(here / PROJECT_CONFIG_DIR, Origin.project)
    return Location(user_config_dir(), Origin.user)


def resolve_db(given: Path | None, origin: Origin, cwd: Path | None = None) -> Location:
    """``given`` (from ``origin``: flag or env), else the project's, else the user's."""
    if given is not None:
        return Location(given, origin)
    here = Path() if cwd is None else cwd
    if is_project_folder(here):
        return Location(here / PROJECT_DB, Origin.project)
    return Location(user_db(), Origin.user)


def given_origin(ctx: typer.Context, param: str) -> Origin:
    """Whether ``param`` of the root command came from the command line or a variable."""
    source = ctx.get_parameter_source(param)  # typer's own click: compare by name
    return Origin.env if source is not None and source.name == "ENVIRONMENT" else Origin.flag


@dataclass
class GlobalOptions:
    """The global options; ``config_dir`` and ``db`` are resolved when first asked for."""

    config_dir_given: Path | None = None
    db_given: Path | None = None
    log_format: LogFormat = LogFormat.text
    verbosity: int = 0  # -1 quiet, 0 normal, 1 verbose
    config_dir_origin: Origin = Origin.flag  # of config_dir_given
    db_origin: Origin = Origin.flag  # of db_given
    cwd: Path | None = field(default=None, repr=False)  # None: the current folder

    @cached_property
    def config_location(self) -> Location:
        return resolve_config_dir(self.config_dir_given, self.config_dir_origin, self.cwd)

    @cached_property
    def db_location(self) -> Location:
        return resolve_db(self.db_given, self.db_origin, self.cwd)

    @property
    def config_dir(self) -> Path:
        return self.config_location.path

    @property
    def db(self) -> Path:
        return self.db_location.path


def options(ctx: typer.Context) -> GlobalOptions:
    root = ctx.find_root()
    obj = root.obj
    if isinstance(obj, GlobalOptions):
        return obj
    return GlobalOptions()


#: attributes every LogRecord has; anything else on a record came in through ``extra``
_RECORD_ATTRIBUTES = frozenset(
    logging.LogRecord("", 0, "", 0, "", (), None).__dict__.keys() | {"message", "asctime"}
)


def _fallback_event(record: logging.LogRecord) -> str:
    """A record logged without ``extra={"event": ...}``: ``<module>_<level>``."""
    name = record.name.rsplit(".", 1)[-1]
    return re.sub(r"[^a-z0-9]+", "_", f"{name}_{record.levelname}".lower()).strip("_")


class _JsonFormatter(logging.Formatter):
    """One JSON object per record (the fields are listed in the module's docstring)."""

    def format(self, record: logging.LogRecord) -> str:
        extra = {k: v for k, v in record.__dict__.items() if k not in _RECORD_ATTRIBUTES}
        context = logcontext.current()
        payload: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "level": record.levelname.lower(),
            "event": extra.pop("event", None) or _fallback_event(record),
            "source": extra.pop("source", context.get("source")),
            "job_id": extra.pop("job_id", context.get("job_id")),
            "error": extra.pop("error", None),
        }
        for key, value in context.items():
            payload.setdefault(key, value)
        fields = extra.pop("fields", None)  # names a LogRecord keeps for itself ("created")
        payload.update(extra)
        if isinstance(fields, dict):
            payload.update(fields)
        payload["message"] = record.getMessage()
        payload["logger"] = record.name
        # never a traceback (log.exception's exc_info is left out): SATUDATA_DEBUG=1 shows it
        return json.dumps(payload, ensure_ascii=False, default=str)


_state = GlobalOptions()


def json_logging() -> bool:
    """Whether stderr takes JSON lines (``--log-format json``)."""
    return _state.log_format is LogFormat.json


def quiet() -> bool:
    """``-q``: only errors on stderr."""
    return _state.verbosity < 0


def event_name(error: BaseException) -> str:
    """The ``event`` of an error that ends a command: its class in snake_case
    (ConfigError -> ``config_error``, SourceError -> ``source_error``)."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type(error).__name__).lower()


def log_event(level: int, event: str, message: str | Message, **fields: Any) -> None:
    """A message of the CLI itself as one log record (one JSON line with
    ``--log-format json``). Shown at any verbosity, except that ``-q`` keeps only
    errors."""
    if _state.verbosity < 0 and level < logging.ERROR:
        return
    logger = logging.getLogger("satudata.cli")
    record = logger.makeRecord(
        logger.name, level, "(cli)", 0, message, (), None, extra={"event": event, **fields}
    )
    logger.handle(record)  # not logger.log: the level of -v does not hide these


class _TextFormatter(logging.Formatter):
    """``satudata: LEVEL: message`` in the language of the run: a log call whose message
    is a :class:`Message` (the library logs its user-facing lines so) is said in that
    language, the level too; json lines stay English for machines."""

    def __init__(self) -> None:
        super().__init__("satudata: %(levelname)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        lang = current_lang()
        if lang == "en":
            return super().format(record)
        said = logging.makeLogRecord(record.__dict__)
        if isinstance(record.msg, Message):
            said.msg = record.msg.get(lang)
        if isinstance(record.args, tuple):
            said.args = tuple(a.get(lang) if isinstance(a, Message) else a for a in record.args)
        level = VALUES.get(record.levelname.lower())
        if level is not None:
            said.levelname = level.get(lang).upper()
        return super().format(said)


def setup_logging(opts: GlobalOptions) -> None:
    """Log to stderr: warnings by default, info with -v, errors only with -q."""
    global _state
    _state = opts
    level = {-1: logging.ERROR, 0: logging.WARNING}.get(opts.verbosity, logging.INFO)
    if opts.verbosity >= 2:
        level = logging.DEBUG
    handler = logging.StreamHandler(sys.stderr)
    if opts.log_format is LogFormat.json:
        handler.setFormatter(_JsonFormatter())
    else:
        handler.setFormatter(_TextFormatter())
    logger = logging.getLogger("satudata")
    for old in list(logger.handlers):
        logger.removeHandler(old)
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False
    _other_libraries(opts)


class _OneLine(logging.Formatter):
    """A record without the traceback or stack its library attached."""

    def format(self, record: logging.LogRecord) -> str:
        bare = logging.makeLogRecord(
            {**record.__dict__, "exc_info": None, "exc_text": None, "stack_info": None}
        )
        return super().format(bare)


def _other_libraries(opts: GlobalOptions) -> None:
    """Libraries (rdflib, httpx, ...) log to the root logger, and Python's last-resort
    handler prints their tracebacks: rdflib logs one for every ill-typed literal. Give
    them one line each, never a traceback; warnings only with -v."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_satudata", False)]:
        root.removeHandler(old)
    handler = logging.StreamHandler(sys.stderr)
    handler._satudata = True  # type: ignore[attr-defined]
    if opts.log_format is LogFormat.json:
        handler.setFormatter(_JsonFormatter())
    else:
        handler.setFormatter(_OneLine("satudata: %(levelname)s: %(name)s: %(message)s"))
    handler.setLevel(logging.WARNING if opts.verbosity >= 1 else logging.ERROR)
    root.addHandler(handler)


# -------------------------------------------------------------- the root command

#: the global options that every command also takes after its name, with their help
_ANYWHERE = {
    "quiet": M.help_quiet_anywhere.en,
    "verbose": M.help_verbose_anywhere.en,
}


def _global_flag(ctx: Any, param: Any, value: Any) -> Any:
    """``-q``/``-v`` given after the subcommand: merged into the global options."""
    if not value or ctx.resilient_parsing:
        return value
    opts = options(ctx)
    if param.name == "quiet":
        opts.verbosity = -1
    elif opts.verbosity >= 0:
        opts.verbosity += int(value)
    setup_logging(opts)
    return value


def _no_type_shown(params: Iterable[Any]) -> None:
    """A flag takes no value: ``--all`` in the help, not ``--all <bool>``."""
    for param in params:
        if getattr(param, "is_flag", False) or getattr(param, "count", False):
            param.metavar = ""


class SatudataGroup(TyperGroup):
    """The root ``satudata`` command (see the module docstring). Each subcommand is
    adjusted once, when it is first looked up: the typer command objects are built
    by typer itself, so this is the one place that sees all of them."""

    def get_params(self, ctx: Any) -> list[Any]:
        params = super().get_params(ctx)
        _no_type_shown(params)
        return params

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            self._adjust(ctx, command)
        return command

    def _adjust(self, ctx: Any, command: Any) -> None:
        if getattr(command, "_satudata_adjusted", False):
            return
        command._satudata_adjusted = True
        for sub in getattr(command, "commands", {}).values():
            self._adjust(ctx, sub)
        taken = {name for p in command.params for name in (*p.opts, *p.secondary_opts)}
        for param in self.params:
            if param.name in _ANYWHERE and not taken.intersection(param.opts):
                extra: Any = copy.copy(param)
                extra.expose_value = False
                extra.callback = _global_flag
                extra.help = _ANYWHERE[param.name]
                command.params.append(extra)
        _no_type_shown([*command.params, command.get_help_option(ctx)])
