"""Helpers of the ``report site`` tests: link checks written through the catalogue's own
storage, and every link of a written site followed."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from satudata_cli.catalogue import Catalogue, LinkCheckResult
from satudata_cli.catalogue.timestamps import to_iso


def check_links_twice(db: Path, broken_suffix: str) -> int:
    """Two runs of link checks, 30 hours apart (so the two-checks rule confirms a
    failure): the URL ending in ``broken_suffix`` broken (404) both times, every other
    link of the active datasets ok. The number of URLs checked per run."""
    with Catalogue.open(db, create=False) as cat:
        checks = cat.link_checks()
        targets = checks.targets(max_age=None)
        broken = [t for t in targets if t.url.endswith(broken_suffix)]
        assert len(broken) == 1, broken_suffix
        start = dt.datetime.now(dt.UTC) - dt.timedelta(days=2)
        for hours in (0, 30):
            run = checks.start_run()
            at = to_iso(start + dt.timedelta(hours=hours))
            checks.record(
                run,
                [
                    LinkCheckResult(
                        url=t.url,
                        verdict="broken" if t in broken else "ok",
                        status=404 if t in broken else 200,
                        checked_at=at,
                        places=t.places,
                    )
                    for t in targets
                ],
            )
            checks.finish_run(run, "finished", urls=len(targets))
    return len(targets)


class Page(HTMLParser):
    """The links (``href``/``src`` except ``<link>``), element ids, canonical URL and
    text of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.canonical: str | None = None
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        if tag == "link" and values.get("rel") == "canonical":
            self.canonical = values.get("href")
        for name in ("href", "src"):
            if values.get(name) and tag != "link":
                self.links.append(values[name] or "")

    def handle_data(self, data: str) -> None:
        self.texts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.texts).split())


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


def follow_links(site: Path, pages: dict[Path, str] | None = None) -> int:
    """Every link of every page (``pages``: path -> HTML, e.g. the DOM a browser made of
    it; default the files) is relative and resolves to a page of the site, and a
    fragment to an element of that page. The number of links followed."""
    html = pages or {p: p.read_text(encoding="utf-8") for p in site.rglob("*.html")}
    parsed = {p.resolve(): parse(text) for p, text in html.items()}
    root = site.resolve()
    followed = 0
    for path, page in parsed.items():
        for link in page.links:
            parts = urlsplit(link)
            assert not parts.scheme and not parts.netloc, (path, link)
            target = (path.parent / parts.path).resolve() if parts.path else path
            assert target in parsed, f"{path}: {link} does not resolve"
            assert root in target.parents
            if parts.fragment:
                assert parts.fragment in parsed[target].ids, f"{path}: {link}"
            followed += 1
    return followed
