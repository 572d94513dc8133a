"""``satudata report site``: a static, self-contained website of the catalogue's
compliance and freshness per agency (perangkat daerah), ready to copy to any web server.

The site is built in two steps, like every report: :func:`build_site` reads the
catalogue into the compliance and freshness reports and :func:`render_site` turns them
into pages (a :class:`Site`, nothing written yet); :func:`write_site` then writes the
pages to a temporary folder beside the target and moves it into place, so that a cron
job never publishes a half-written site and a failed run leaves the previous one.

Layout (every link relative, so the folder works from any URL or from disk)::

    index.html                      the city's overview
    perangkat-daerah/<slug>.html    one page per agency
    summary.json                    the summary's facts (schemas/report-summary.schema.json)
    .satudata-site                  marks the folder as a site this command may replace

Sections that need data the catalogue may not have (link checks) are passed in as
:class:`SiteExtras` and appear only when given.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Final
from urllib.parse import urlsplit

from slugify import slugify

from satudata_cli.catalogue.db import Catalogue
from satudata_cli.core.i18n import Lang
from satudata_cli.core.messages import M
from satudata_cli.reports import labels
from satudata_cli.reports.build import compliance_report, freshness_report
from satudata_cli.reports.errors import ReportError
from satudata_cli.reports.html import page_globals, template
from satudata_cli.reports.models import (
    AgencyCompliance,
    AgencyFreshness,
    ComplianceReport,
    DatasetCompliance,
    DatasetFreshness,
    FreshnessReport,
    GroupBy,
    Summary,
)
from satudata_cli.reports.narrative import SHOWN_AGENCIES, opening, summarize
from satudata_cli.standard.ruleset import RULES
from satudata_cli.standard.schema import Standard, load_standard

#: The folder of the agencies' pages.
AGENCY_DIR: Final = "perangkat-daerah"
#: The file that marks a folder as a site of this command (and so replaceable).
MARKER: Final = ".satudata-site"
#: The slug of the datasets that name no agency.
NO_AGENCY_SLUG: Final = "tanpa-perangkat-daerah"
_SLUG_MAX: Final = 80


class SiteError(ReportError):
    """The site cannot be written where asked (exit 2)."""


@dataclass(frozen=True, slots=True)
class LinkFigures:
    """Link checks of one agency: links checked, broken."""

    checked: int
    broken: int


@dataclass(frozen=True, slots=True)
class SiteExtras:
    """Sections shown only when their data exist: ``links`` per agency (the
    ``None`` key: datasets without one) from the link checks."""

    links: Mapping[str | None, LinkFigures] | None = None


@dataclass(frozen=True, slots=True)
class SitePage:
    """One file of the site: its path relative to the site's root, its text."""

    path: str
    text: str


@dataclass(frozen=True, slots=True)
class Site:
    title: str
    lang: Lang
    generated_at: str
    as_of: str
    sources: list[str]
    summary: Summary
    #: agency -> the path of its page
    agency_pages: dict[str | None, str]
    pages: list[SitePage] = field(default_factory=list)


def agency_slugs(names: Iterable[str | None]) -> dict[str | None, str]:
    """A file name per agency: the slug of its name (ASCII, lower case, hyphens), the
    same on every run; two names with one slug get ``-2``, ``-3`` in the order of the
    names, so a name keeps its file as long as no colliding name sorts before it."""
    slugs: dict[str | None, str] = {}
    taken: set[str] = set()
    ordered = sorted(set(names), key=lambda n: (n is None, n or ""))
    for name in ordered:
        base = NO_AGENCY_SLUG if name is None else slugify(name, max_length=_SLUG_MAX)
        base = base or "perangkat-daerah"
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        slugs[name] = slug
    return slugs


def check_base_url(base_url: str | None) -> str | None:
    """``--base-url`` as an absolute http(s) URL ending in ``/``."""
    if base_url is None:
        return None
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SiteError(M.err_site_base_url.format(value=repr(base_url)))
    return base_url if base_url.endswith("/") else base_url + "/"


@dataclass(frozen=True, slots=True)
class _Row:
    name: str | None
    href: str
    comp: AgencyCompliance
    fresh: AgencyFreshness | None
    links: LinkFigures | None


@dataclass(frozen=True, slots=True)
class _Missing:
    field: str
    label: str


@dataclass(frozen=True, slots=True)
class _Rule:
    id: str
    title: str


@dataclass(frozen=True, slots=True)
class _DatasetRow:
    comp: DatasetCompliance
    fresh: DatasetFreshness | None
    missing: list[_Missing]
    rules: list[_Rule]


def _dataset_rows(
    datasets: Sequence[DatasetCompliance],
    fresh: Mapping[int, DatasetFreshness],
    standard: Standard,
    lang: Lang,
) -> list[_DatasetRow]:
    rows = []
    for d in datasets:
        missing = []
        for name in (*d.missing_required, *d.missing_recommended):
            info = standard.fields.get(name)
            title = info.title.get(lang) if info else name
            missing.append(_Missing(field=name, label=title))
        rules = []
        for rule in d.rules:
            info_rule = RULES.get(rule)
            title = (
                (info_rule.title.id if lang == "id" else info_rule.title.en) if info_rule else ""
            )
            rules.append(_Rule(id=rule, title=title))
        rows.append(_DatasetRow(comp=d, fresh=fresh.get(d.id), missing=missing, rules=rules))
    return rows


def render_site(
    compliance: ComplianceReport,
    freshness: FreshnessReport,
    *,
    lang: Lang,
    title: str | None = None,
    base_url: str | None = None,
    extras: SiteExtras | None = None,
    standard: Standard | None = None,
) -> Site:
    """The pages of the site from a compliance and a freshness report of the same
    catalogue, grouping and time (nothing is written)."""
    extras = extras or SiteExtras()
    standard = standard or load_standard()
    base = check_base_url(base_url)
    links = extras.links
    summary = summarize(
        compliance=compliance,
        freshness=freshness,
        broken_links=None if links is None else {k: v.broken for k, v in links.items()},
    )
    slugs = agency_slugs(a.name for a in compliance.agencies)
    paths = {name: f"{AGENCY_DIR}/{slug}.html" for name, slug in slugs.items()}
    site_title = title or labels.label("compliance_title", lang)
    fresh_by = {a.name: a for a in freshness.agencies}
    rows = [
        _Row(
            name=a.name,
            href=paths[a.name],
            comp=a,
            fresh=fresh_by.get(a.name),
            links=None if links is None else links.get(a.name),
        )
        for a in compliance.agencies
    ]
    links_total = (
        None
        if links is None
        else LinkFigures(
            checked=sum(v.checked for v in links.values()),
            broken=sum(v.broken for v in links.values()),
        )
    )
    site = Site(
        title=site_title,
        lang=lang,
        generated_at=compliance.generated_at,
        as_of=freshness.as_of,
        sources=compliance.sources,
        summary=summary,
        agency_pages=paths,
    )
    common = {
        **page_globals(lang),
        "site": site,
        "site_title": site_title,
        "group": labels.group_label(compliance.by, lang),
        "links": links is not None,
        "links_total": links_total,
    }
    index = template("site_index.html.j2").render(
        page_title=site_title,
        canonical=f"{base}index.html" if base else None,
        root="",
        crumb=None,
        opening=opening(summary, lang, SHOWN_AGENCIES),
        c=compliance,
        f=freshness,
        rows=rows,
        **common,
    )
    pages = [SitePage("index.html", index)]
    fresh_datasets = {d.id: d for d in freshness.datasets}
    by_agency: dict[str | None, list[DatasetCompliance]] = {}
    for d in compliance.datasets:
        by_agency.setdefault(d.agency, []).append(d)
    sentences = summary.text_id if lang == "id" else summary.text_en
    for position, row in enumerate(rows, start=1):
        name = labels.agency_name(row.name, lang)
        page = template("site_agency.html.j2").render(
            page_title=labels.label("site_agency_title", lang, name=name),
            canonical=f"{base}{row.href}" if base else None,
            root="../",
            crumb=name,
            opening=[sentences[position]],
            r=row,
            datasets=_dataset_rows(by_agency.get(row.name, []), fresh_datasets, standard, lang),
            **common,
        )
        pages.append(SitePage(row.href, page))
    pages.append(
        SitePage(
            "summary.json",
            json.dumps(dataclasses.asdict(summary), ensure_ascii=False, indent=2) + "\n",
        )
    )
    return dataclasses.replace(site, pages=pages)


def build_site(
    cat: Catalogue,
    *,
    lang: Lang,
    now: datetime,
    by: GroupBy = GroupBy.organization,
    title: str | None = None,
    base_url: str | None = None,
    extras: SiteExtras | None = None,
) -> Site:
    """Read the catalogue (active datasets, freshness as of ``now``) and render the site."""
    check_base_url(base_url)  # before the catalogue is read
    standard = load_standard()
    compliance = compliance_report(cat, by=by, now=now, standard=standard)
    freshness = freshness_report(cat, by=by, as_of=now.date(), now=now, standard=standard)
    return render_site(
        compliance,
        freshness,
        lang=lang,
        title=title,
        base_url=base_url,
        extras=extras,
        standard=standard,
    )


def _replaceable(folder: Path) -> bool:
    """An empty folder, or one this command wrote (it holds the marker file)."""
    return folder.is_dir() and (not any(folder.iterdir()) or (folder / MARKER).is_file())


def write_site(site: Site, output: Path) -> None:
    """Write the site to ``output`` as a whole: the pages go to a temporary folder beside
    it, which then takes the place of ``output`` (two renames on one file system; the
    previous site stays until the new one is complete). A folder that is neither empty
    nor a previous site is never touched."""
    output = output.absolute()  # not resolve(): a symlinked folder name stays the name
    if output.exists() and not _replaceable(output):
        raise SiteError(M.err_site_not_ours.format(path=output))
    parent = output.parent
    tmp: Path | None = None
    try:
        parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{output.name}.", suffix=".tmp", dir=parent))
        tmp.chmod(0o755)  # mkdtemp's 0700 would hide the site from the web server
        for page in site.pages:
            path = tmp / page.path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(page.text, encoding="utf-8")
        (tmp / MARKER).write_text(
            "satudata report site: this folder is replaced as a whole on the next run\n",
            encoding="utf-8",
        )
        if output.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{output.name}.", suffix=".old", dir=parent))
            old.rmdir()
            output.rename(old)
            try:
                tmp.rename(output)
            except OSError:
                old.rename(output)  # put the previous site back
                raise
            tmp = None
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(output)
            tmp = None
    except OSError as exc:
        raise SiteError(
            M.err_site_write.format(path=output, error=exc.strerror or str(exc))
        ) from exc
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
