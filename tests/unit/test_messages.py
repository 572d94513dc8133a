"""The one table of messages (satudata_cli.core.messages): every text in both languages.

A message that exists in one language only fails here: each entry of the table (the
class ``M``, the column headings, the values, the report labels) and each rule title
must have a non-empty Indonesian and English text with the same ``{placeholders}``.
Every help text of every command must come from the table, so a new option whose help
is not in it fails too.
"""

from __future__ import annotations

import re
import string

import pytest
import typer

from satudata_cli.cli import app
from satudata_cli.cli.i18n import scan_lang, translate_text, untranslated_help
from satudata_cli.core.errors import SatudataError
from satudata_cli.core.i18n import Message, lang_from_env, parse_lang
from satudata_cli.core.messages import (
    CATALOGUE_DOCS,
    COLUMNS,
    REPORT_LABELS,
    VALUES,
    M,
    all_messages,
)
from satudata_cli.standard.ruleset import RULES


def _entries() -> list[tuple[str, Message]]:
    found = [(name, v) for name, v in vars(M).items() if isinstance(v, Message)]
    found += [(f"COLUMNS[{k}]", v) for k, v in COLUMNS.items()]
    found += [(f"VALUES[{k}]", v) for k, v in VALUES.items()]
    found += [(f"REPORT_LABELS[{k}]", v) for k, v in REPORT_LABELS.items()]
    found += [(f"CATALOGUE_DOCS[{k}]", v) for k, v in CATALOGUE_DOCS.items()]
    found += [(f"RULES[{k}].title", r.title) for k, r in RULES.items()]
    return found


ENTRIES = _entries()


def test_the_table_is_walked() -> None:
    assert len(ENTRIES) > 300
    assert {id(m) for _, m in ENTRIES} >= {id(m) for m in all_messages()}


@pytest.mark.parametrize(("name", "message"), ENTRIES, ids=[n for n, _ in ENTRIES])
def test_both_languages_with_the_same_placeholders(name: str, message: Message) -> None:
    assert message.id.strip(), f"{name}: no Indonesian text"
    assert message.en.strip(), f"{name}: no English text"
    assert message.placeholders("id") == message.placeholders("en"), name
    # both templates must be usable with str.format (no stray single braces)
    for text in (message.id, message.en):
        list(string.Formatter().parse(text))


def test_no_mixed_headings() -> None:
    """One language at a time: no "Harvest / Panen" in either language of a title."""
    for name, message in ENTRIES:
        if name.startswith("title_"):
            assert " / " not in message.id and " / " not in message.en, name


def test_one_english_text_has_one_indonesian_text() -> None:
    """Help is put into Indonesian by its English text (looked up among ``M``): the same
    English must always mean the same Indonesian there."""
    seen: dict[str, tuple[str, str]] = {}
    for name, message in ENTRIES:
        if not hasattr(M, name):
            continue
        first = seen.setdefault(message.en, (name, message.id))
        assert first[1] == message.id, f"{first[0]} and {name} say {message.en!r} differently"


def test_every_help_text_comes_from_the_table() -> None:
    """Every command's and option's help has an Indonesian text (a new option whose help
    is written in the command only fails here)."""
    assert untranslated_help(typer.main.get_command(app)) == []


def _sample(template: str) -> tuple[str, dict[str, str]]:
    values = {name: f"<{name}>" for name in re.findall(r"\{(\w+)\}", template)}
    return template.format(**values), values


@pytest.mark.parametrize("message", M.click_errors(), ids=lambda m: m.en[:40])
def test_usage_errors_of_typer_are_said_in_indonesian(message: Message) -> None:
    english, values = _sample(message.en)
    assert translate_text(english, "id") == message.id.format(**values)
    assert translate_text(english, "en") == english


def test_a_nested_usage_error() -> None:
    english = "Invalid value for '--limit' / '-n': Input should be greater than or equal to 1"
    assert translate_text(english, "id") == (
        "Nilai tidak sah untuk '--limit' / '-n': harus lebih besar dari atau sama dengan 1"
    )


def test_message_format_takes_each_language_of_a_message_parameter() -> None:
    reason = M.err_http_connect.format(url="http://127.0.0.1:9", reason="refused")
    said = M.err_source_unreadable.format(id="dinkes", reason=reason)
    assert said.id == "sumber dinkes tidak dapat dibaca: tidak dapat tersambung ke " + (
        "http://127.0.0.1:9: refused"
    )
    assert said.en == "source dinkes could not be read: cannot connect to http://127.0.0.1:9: " + (
        "refused"
    )


def test_an_error_carries_both_languages_and_is_english_as_text() -> None:
    error = SatudataError(M.err_no_job.format(id=7))
    assert str(error) == "there is no job 7"
    assert error.text("id") == "tidak ada tugas 7"
    plain = SatudataError("plain text")
    assert plain.text("id") == plain.text("en") == "plain text"


@pytest.mark.parametrize(
    ("args", "environ", "lang"),
    [
        ([], {}, "en"),
        ([], {"LANG": "id_ID.UTF-8"}, "id"),
        ([], {"LC_ALL": "en_US.UTF-8", "LANG": "id_ID.UTF-8"}, "en"),
        ([], {"SATUDATA_LANG": "id", "LANG": "en_US.UTF-8"}, "id"),
        ([], {"SATUDATA_LANG": "en", "LANG": "id_ID.UTF-8"}, "en"),
        (["--lang", "en"], {"SATUDATA_LANG": "id"}, "en"),
        (["harvest", "--lang=id"], {"SATUDATA_LANG": "en"}, "id"),
        (["--lang", "id", "validate", "--lang", "en"], {}, "en"),  # the last one wins
        (["catalog", "search", "--", "--lang", "id"], {}, "en"),  # after -- it is a value
    ],
)
def test_the_language_of_a_run(args: list[str], environ: dict[str, str], lang: str) -> None:
    chosen, rest = scan_lang(args, environ)
    assert chosen == lang
    if "--" not in args:
        assert not any(a.startswith("--lang") for a in rest)
        assert rest == [a for a in args if not a.startswith("--lang") and a not in ("id", "en")]


def test_language_names() -> None:
    assert parse_lang("id") == parse_lang("ID") == parse_lang("id_ID.UTF-8") == "id"
    assert parse_lang("en-US") == "en"
    assert parse_lang("fr") is None
    assert lang_from_env({"SATUDATA_LANG": "fr", "LANG": "id_ID"}) == "id"
