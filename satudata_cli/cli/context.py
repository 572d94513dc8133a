"""Global options (``--config-dir``, ``--db``, ``--log-format``, ``-q``/``-v``) and logging.

:class:`SatudataGroup` is the root command's class: it lets ``-q``/``-v`` come after
the subcommand too (``satudata harvest -v`` as ``satudata -v harvest``) and shows
flags without a ``<bool>`` type in ``--help``.
"""

from __future__ import annotations

import copy
import json
import logging
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperGroup


class LogFormat(StrEnum):
    text = "text"
    json = "json"


@dataclass
class GlobalOptions:
    config_dir: Path = Path("harvest_configs")
    db: Path = Path("satudata.db")
    log_format: LogFormat = LogFormat.text
    verbosity: int = 0  # -1 quiet, 0 normal, 1 verbose


def options(ctx: typer.Context) -> GlobalOptions:
    root = ctx.find_root()
    obj = root.obj
    if isinstance(obj, GlobalOptions):
        return obj
    return GlobalOptions()


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "time": datetime.fromtimestamp(record.created, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        return json.dumps(payload, ensure_ascii=False)


def setup_logging(opts: GlobalOptions) -> None:
    """Log to stderr: warnings by default, info with -v, errors only with -q."""
    level = {-1: logging.ERROR, 0: logging.WARNING}.get(opts.verbosity, logging.INFO)
    if opts.verbosity >= 2:
        level = logging.DEBUG
    handler = logging.StreamHandler(sys.stderr)
    if opts.log_format is LogFormat.json:
        handler.setFormatter(_JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("satudata: %(levelname)s: %(message)s"))
    logger = logging.getLogger("satudata")
    for old in list(logger.handlers):
        logger.removeHandler(old)
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False


# -------------------------------------------------------------- the root command

#: the global options that every command also takes after its name, with their help
_ANYWHERE = {
    "quiet": "Only errors on stderr (the same as satudata -q COMMAND).",
    "verbose": "More log lines, -vv: debug (the same as satudata -v COMMAND).",
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
