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
