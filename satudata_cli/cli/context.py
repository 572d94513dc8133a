"""Global options (``--config-dir``, ``--db``, ``--log-format``, ``-q``/``-v``) and logging."""

from __future__ import annotations

import json
import logging
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

import typer

from satudata_cli.cli.i18n import current_lang
from satudata_cli.core.i18n import Message
from satudata_cli.core.messages import VALUES


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
