"""The findings of one checked link (satudata_cli/standard/links.py)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from satudata_cli.standard.findings import Severity
from satudata_cli.standard.links import html_instead_of_data, link_findings, link_path


@dataclass(frozen=True)
class Link:
    kind: str = "resource"
    resource_position: int | None = 1
    resource_format: str | None = "CSV"
    url: str = "https://data.example.go.id/a.csv"
    verdict: str | None = "ok"
    final_url: str | None = None
    content_type: str | None = "text/csv"
    status: int | None = 200
    reason_id: str | None = None
    reason_en: str | None = None
    first_failed_at: str | None = None
    broken: bool = False
    broken_days: int | None = None


def rules(link: Link, **severities: Severity | None) -> list[tuple[str, str, str]]:
    chosen = {k.replace("_", "-").replace("link-", "link."): v for k, v in severities.items()}
    found = link_findings(link, chosen or None)
    return [(f.rule, f.severity.value, f.path) for f in found]


def test_a_fine_link_has_no_finding() -> None:
    assert rules(Link()) == []


@pytest.mark.parametrize("verdict", ["broken", "unverifiable", "skipped", "invalid", None])
def test_failed_once_unverifiable_or_unchecked_is_no_finding(verdict: str | None) -> None:
    # "broken" without the two-checks rule's confirmation (broken=False) is not a finding
    assert rules(Link(verdict=verdict, content_type=None)) == []


def test_broken_is_an_error_at_its_place_with_days_and_reason() -> None:
    link = Link(
        kind="link_akses",
        resource_position=None,
        verdict="broken",
        status=404,
        reason_id="tidak ditemukan",
        reason_en="not found",
        first_failed_at="2026-11-01T02:00:00.000Z",
        broken=True,
        broken_days=35,
    )
    [finding] = list(link_findings(link))
    assert (finding.rule, finding.severity, finding.path) == (
        "link.broken",
        Severity.ERROR,
        "$.link_akses",
    )
    assert finding.message.en.endswith("since 2026-11-01 (35 days): HTTP 404; not found")
    assert finding.message.id.endswith("sejak 2026-11-01 (35 hari): HTTP 404; tidak ditemukan")


def test_permanent_redirect_suggests_the_new_url_unless_it_is_the_same() -> None:
    moved = Link(verdict="redirected-permanently", final_url="https://new.example/a.csv")
    [finding] = list(link_findings(moved))
    assert (finding.rule, finding.severity, finding.suggestion) == (
        "link.redirected",
        Severity.WARNING,
        "https://new.example/a.csv",
    )
    assert rules(Link(verdict="redirected-permanently", final_url=Link.url)) == []


@pytest.mark.parametrize(
    ("declared", "content_type", "mismatch"),
    [
        ("CSV", "text/html; charset=utf-8", True),
        (" .xlsx ", "application/xhtml+xml", True),
        ("csv", "text/csv", False),
        ("CSV", "application/octet-stream", False),  # loosely named data: not a finding
        ("HTML", "text/html", False),
        ("API", "text/html", False),
        ("", "text/html", False),
        (None, "text/html", False),
    ],
)
def test_html_instead_of_data(declared: str | None, content_type: str, mismatch: bool) -> None:
    assert html_instead_of_data(declared, content_type) is mismatch


def test_content_type_mismatch_only_for_resources_that_answered() -> None:
    login = Link(content_type="text/html")
    assert rules(login) == [("link.content-type-mismatch", "warning", "$.resources[1].url")]
    assert rules(Link(kind="link_akses", resource_position=None, content_type="text/html")) == []
    assert rules(Link(verdict="unverifiable", content_type="text/html")) == []


def test_profile_severities_change_or_switch_off_a_rule() -> None:
    link = Link(verdict="redirected-permanently", final_url="https://new.example/a.csv")
    assert rules(link, link_redirected=Severity.ERROR) == [
        ("link.redirected", "error", "$.resources[1].url")
    ]
    assert rules(link, link_redirected=None) == []


def test_link_path() -> None:
    assert link_path("resource", 0) == "$.resources[0].url"
    assert link_path("link_akses", None) == "$.link_akses"
