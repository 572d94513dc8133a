"""The words of the reports in Indonesian and English (text, CSV headers, HTML), from
the message table (``REPORT_LABELS`` in :mod:`satudata_cli.core.messages`)."""

from __future__ import annotations

from satudata_cli.core.i18n import Lang
from satudata_cli.core.messages import REPORT_LABELS
from satudata_cli.standard.schema import load_standard


def label(key: str, lang: Lang, **values: object) -> str:
    text = REPORT_LABELS[key].get(lang)
    return text.format(**values) if values else text


def group_label(by: str, lang: Lang) -> str:
    return label(f"by_{by}", lang)


def agency_name(name: str | None, lang: Lang, by: str | None = None) -> str:
    """An agency's name as a report shows it; ``None`` is the datasets without one. By
    pillar (``by="pilar"``): the pillar's label from the vocabulary (``Data
    Kependudukan``; a value outside it as it is) and "(tanpa pilar)" for none."""
    if by == "pilar":
        if name is None:
            return label("none_pilar", lang)
        term = load_standard().vocabularies["pilar"].terms.get(name)
        return term.label.get(lang) if term is not None else name
    return name if name is not None else label("none", lang)


def status_label(status: str, lang: Lang) -> str:
    return label(status, lang)


def change_text(change: float | None, previous_datasets: int | None, lang: Lang) -> str:
    """``+2.5``, ``-1.0``, ``0.0``; ``new`` for an agency without datasets before; ``-``
    when there is nothing to compare with."""
    if previous_datasets == 0:
        return label("new", lang)
    if change is None:
        return "–"
    return f"{change:+.1f}" if change else "0.0"


def percent(share: float | None) -> str:
    return "–" if share is None else f"{share * 100:.0f}%"
