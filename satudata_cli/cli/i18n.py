"""One language per run: which one, and the command line's own words in it.

The language is chosen once per run, before typer builds any help or error text:
``--lang id|en`` anywhere on the command line (the last one wins; the option of a
command or the global one, both are read here), else ``SATUDATA_LANG``, else the locale
(``LC_ALL``/``LC_MESSAGES``/``LANG``). :class:`LanguageGroup` (the root command) reads it
from the arguments in :meth:`LanguageGroup.make_context`, so ``satudata harvest --help
--lang id`` is Indonesian although typer has not parsed ``--lang`` yet.

Every text comes from the message table (:mod:`satudata_cli.core.messages`):

- help texts are written in the commands as ``help=helptext(M.some_help)`` (the English
  text, which typer keeps), and :func:`localize` puts the chosen language into the
  click commands before they print help: command and option help, the help option, the
  usage line, typer's panel titles and ``[default: ...]`` labels;
- typer's and click's own usage errors ("No such option", "Missing argument", "Invalid
  value for ...") are translated by :func:`translate_usage_error`, which matches the
  English text against the ``click_*`` templates of the table.

typer has no hook for another language: :func:`localize` sets attributes of the click
objects typer built for this run (fresh on every run) and the panel titles typer reads
from ``typer.rich_utils`` at render time (restored for English). The test of the help in
Indonesian (``tests/cli/test_lang.py``) fails if a new typer moves them.
"""

from __future__ import annotations

import inspect
import os
import re
import sys
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any, Final

import typer
from typer._click.core import Command, Context
from typer._click.exceptions import NoArgsIsHelpError, UsageError
from typer._click.formatting import HelpFormatter
from typer.core import TyperGroup

from satudata_cli.core.i18n import Lang, Message, lang_from_env, parse_lang
from satudata_cli.core.messages import M

__all__ = [
    "LanguageGroup",
    "current_lang",
    "helptext",
    "localize",
    "say",
    "scan_lang",
    "set_lang",
    "translate_usage_error",
    "untranslated_help",
]

_state: dict[str, Lang] = {"lang": "en"}
#: help texts made from a template with values (``helptext(M.x.format(...))``)
_formatted: dict[str, Message] = {}


def current_lang() -> Lang:
    """The language of this run (set by :func:`set_lang`)."""
    return _state["lang"]


def set_lang(lang: Lang) -> None:
    _state["lang"] = lang


def say(message: Message) -> str:
    """``message`` in the language of this run."""
    return message.get(current_lang())


def helptext(message: Message) -> str:
    """The English text of ``message`` for typer's ``help=``; :func:`localize` swaps in
    the language of the run."""
    _formatted.setdefault(_key(message.en), message)
    return message.en


def scan_lang(args: Sequence[str], environ: Mapping[str, str]) -> tuple[Lang, list[str]]:
    """The language of the run and the arguments without ``--lang``.

    ``--lang X`` or ``--lang=X`` anywhere before ``--`` (the last one wins), else
    ``SATUDATA_LANG``, else the locale. The option is taken out of the arguments, so it
    is accepted at any place (``satudata catalog --lang id list``), also where no
    command declares it. A value other than id or en is a usage error.
    """
    found: Lang | None = None
    rest: list[str] = []
    items = list(args)
    i = 0
    while i < len(items):
        arg = items[i]
        if arg == "--":
            rest += items[i:]
            break
        if arg == "--lang" or arg.startswith("--lang="):
            if arg == "--lang":
                if i + 1 >= len(items):
                    raise UsageError(M.click_requires_argument.format(name="'--lang'").en)
                value, i = items[i + 1], i + 2
            else:
                value, i = arg.split("=", 1)[1], i + 1
            if value not in ("id", "en"):
                reason = M.click_not_one_of.format(value=repr(value), choices="'id', 'en'")
                raise UsageError(
                    M.click_invalid_value_for.format(hint="'--lang'", reason=reason).en
                )
            found = parse_lang(value)
            continue
        rest.append(arg)
        i += 1
    return found or lang_from_env(environ), rest


# -- help --------------------------------------------------------------------------


def _key(text: str) -> str:
    return inspect.cleandoc(text).strip()


@cache
def _table_index() -> dict[str, Message]:
    """English text -> message, for every message of ``M``; also the first paragraph of
    each (what a list of commands shows as a command's summary)."""
    index: dict[str, Message] = {}
    for message in vars(M).values():
        if isinstance(message, Message) and message.en:
            first = Message(message.id.split("\n\n")[0], message.en.split("\n\n")[0])
            index.setdefault(_key(first.en), first)
    for message in vars(M).values():
        if isinstance(message, Message) and message.en:
            index[_key(message.en)] = message
    return index


def _lookup(text: str | None) -> Message | None:
    if not text:
        return None
    key = _key(text)
    return _formatted.get(key) or _table_index().get(key)


def _translated(text: str | None, lang: Lang) -> str | None:
    message = _lookup(text)
    return message.get(lang) if message is not None else text


class _Formatter(HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix if prefix is not None else say(M.click_usage) + " ")


class _Context(typer.Context):
    """The context of every command: help in the language of the run."""

    formatter_class = _Formatter

    def __init__(self, command: Command, *args: Any, **kwargs: Any) -> None:
        super().__init__(command, *args, **kwargs)
        option = command.get_help_option(self)
        if option is not None:
            option.help = say(M.help_help)

    def get_help(self) -> str:
        _localize_typer(current_lang())
        return super().get_help()


def _english(command: Command) -> dict[str, Any]:
    """The English texts of ``command`` as typer built them (kept for a second run)."""
    saved: dict[str, Any] | None = getattr(command, "_satudata_en", None)
    if saved is None:
        saved = {
            "help": command.help,
            "short_help": command.short_help,
            "epilog": command.epilog,
            "options_metavar": command.options_metavar,
            "subcommand_metavar": getattr(command, "subcommand_metavar", None),
            "params": [getattr(p, "help", None) for p in command.params],
        }
        command._satudata_en = saved  # type: ignore[attr-defined]
    return saved


def localize(command: Command, lang: Lang, *, below: bool = True) -> None:
    """Put ``lang`` into ``command`` and (``below``) every command below it (help texts,
    usage). The root puts it into itself only, and into each command when it looks one
    up (:class:`LanguageGroup`), so a command loaded only when it runs is not loaded
    for this."""
    if getattr(command, "_satudata_lang", None) == lang:
        return
    en = _english(command)
    command.context_class = _Context
    command.help = _translated(en["help"], lang)
    command.short_help = _translated(en["short_help"], lang)
    command.epilog = _translated(en["epilog"], lang)
    if en["options_metavar"]:
        command.options_metavar = M.click_options_metavar.get(lang)
    if en["subcommand_metavar"]:
        command.subcommand_metavar = M.click_command_metavar.get(lang)  # type: ignore[attr-defined]
    for param, text in zip(command.params, en["params"], strict=True):
        if text is not None:
            param.help = _translated(text, lang)  # type: ignore[attr-defined]
    command._satudata_lang = lang  # type: ignore[attr-defined]
    if below:
        for sub in getattr(command, "commands", {}).values():
            localize(sub, lang)


#: typer's own words, read from ``typer.rich_utils`` when it draws help and errors
_TYPER_WORDS: Final[dict[str, Message]] = {
    "ARGUMENTS_PANEL_TITLE": M.click_arguments,
    "OPTIONS_PANEL_TITLE": M.click_options,
    "COMMANDS_PANEL_TITLE": M.click_commands,
    "ERRORS_PANEL_TITLE": M.click_error,
    "ABORTED_TEXT": M.click_aborted,
    "DEFAULT_STRING": M.click_default,
    "ENVVAR_STRING": M.click_envvar,
    "REQUIRED_LONG_STRING": M.click_required,
    "DEPRECATED_STRING": M.click_deprecated,
    "RICH_HELP": M.click_try_help,
}


def _localize_typer(lang: Lang) -> None:
    import typer.rich_utils as rich_utils  # loaded by typer itself for help and errors

    for name, message in _TYPER_WORDS.items():
        if hasattr(rich_utils, name):
            setattr(rich_utils, name, message.get(lang))


def untranslated_help(command: Command, path: str = "") -> list[str]:
    """``path: text`` of every help text below ``command`` that is not in the message
    table (for the test that every help text has both languages)."""
    missing = []
    name = path or command.name or ""
    texts: list[tuple[str, str | None]] = [(name, command.help)]
    texts += [(f"{name} {p.name}", getattr(p, "help", None)) for p in command.params]
    for where, text in texts:
        if text and _lookup(text) is None:
            missing.append(f"{where}: {text}")
    for sub_name, sub in getattr(command, "commands", {}).items():
        missing += untranslated_help(sub, f"{name} {sub_name}".strip())
    return missing


# -- usage errors ------------------------------------------------------------------


def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", template)
    out = ""
    for i, part in enumerate(parts):
        out += f"(?P<{part}>.+?)" if i % 2 else re.escape(part)
    return re.compile(out + r"\Z", re.S)


@cache
def _click_templates() -> list[tuple[re.Pattern[str], Message]]:
    return [(_pattern(m.en), m) for m in M.click_errors()]


def translate_text(text: str, lang: Lang) -> str:
    """typer's or click's English text of a usage error in ``lang`` (unchanged when it
    is not one of the ``click_*`` templates)."""
    if lang == "en":
        return text
    for pattern, message in _click_templates():
        match = pattern.match(text)
        if match is not None:
            values = {k: translate_text(v, lang) for k, v in match.groupdict().items()}
            return message.id.format(**values)
    return text


def translate_usage_error(error: UsageError, lang: Lang) -> UsageError:
    """``error`` with its text in ``lang`` (the same error when there is nothing to do)."""
    if lang == "en" or isinstance(error, NoArgsIsHelpError):
        return error
    _localize_typer(lang)
    translated = UsageError(translate_text(error.format_message(), lang), ctx=error.ctx)
    translated.exit_code = error.exit_code
    return translated


class LanguageGroup(TyperGroup):
    """The root command's language: chooses the language of the run before anything is
    parsed, and puts it into the commands' help and typer's usage errors.

    Every method calls ``super()``, so the root command may combine it with other
    groups (``class Root(LanguageGroup, OtherGroup)``); it must come first, so that the
    language is chosen before the others parse or print anything."""

    context_class = _Context

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: Context | None = None,
        **extra: Any,
    ) -> Context:
        set_lang(lang_from_env(os.environ))
        try:
            lang, args = scan_lang(args, os.environ)
        except UsageError as error:
            raise translate_usage_error(error, current_lang()) from None
        set_lang(lang)
        localize(self, lang, below=False)
        if "typer.rich_utils" in sys.modules:  # put back English after an Indonesian run
            _localize_typer(lang)
        try:
            return super().make_context(info_name, args, parent, **extra)
        except UsageError as error:
            raise translate_usage_error(error, lang) from None

    def invoke(self, ctx: Context) -> Any:
        try:
            return super().invoke(ctx)
        except UsageError as error:
            raise translate_usage_error(error, current_lang()) from None

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            localize(command, current_lang())
        return command

    def resolve_command(
        self, ctx: Context, args: list[str]
    ) -> tuple[str | None, Command | None, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        if command is not None:
            localize(command, current_lang())
        return name, command, rest
