"""What the link check decides without a request: satudata_cli.links (classify, is_public)."""

from __future__ import annotations

import pytest

from satudata_cli.links import USER_AGENT, classify
from satudata_cli.links.check import host_key
from satudata_cli.links.net import is_public


@pytest.mark.parametrize(
    ("url", "verdict"),
    [
        ("https://data.pemkomedan.go.id/dataset/a.csv", None),
        ("http://data.example.go.id/data kependudukan.csv", None),  # spaces: encoded
        ("ftp://ftp.bps.go.id/a.csv", "skipped"),
        ("mailto:data@pemkomedan.go.id", "skipped"),
        ("file:///etc/passwd", "skipped"),
        ("javascript:alert(1)", "skipped"),
        ("", "invalid"),
        ("www.pemkomedan.go.id/data.csv", "invalid"),  # no scheme
        ("C:\\data\\penduduk.xlsx", "invalid"),
        ("http://", "invalid"),
        ("https://example.go.id:99999/", "invalid"),
        ("http://exa\nmple.go.id/", "invalid"),
        ("http://10.0.0.5/admin", "skipped"),
        ("http://[::1]/x", "skipped"),
        ("http://169.254.169.254/latest/meta-data/", "skipped"),
    ],
)
def test_classify(url: str, verdict: str | None) -> None:
    outcome = classify(url)
    assert (outcome.verdict if outcome else None) == verdict
    if outcome is not None:
        assert outcome.reason.id != outcome.reason.en


def test_private_literals_pass_with_the_flag() -> None:
    assert classify("http://10.0.0.5/admin", allow_private=True) is None


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("2001:4860:4860::8888", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("::1", False),
        ("fe80::1%eth0", False),
        ("fc00::1", False),
        ("::ffff:127.0.0.1", False),  # IPv4-mapped loopback
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("not an address", False),
    ],
)
def test_is_public(address: str, public: bool) -> None:
    assert is_public(address) is public


def test_host_key_and_user_agent() -> None:
    assert host_key("https://Data.Example.go.id/a") == "data.example.go.id:443"
    assert host_key("http://data.example.go.id:8080/a") == "data.example.go.id:8080"
    assert USER_AGENT.startswith("satudata/")
    assert not any(w in USER_AGENT.lower() for w in ("link", "checker", "bot"))
