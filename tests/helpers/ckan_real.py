"""The real-CKAN tier: a CKAN named by CKAN_URL and CKAN_API_TOKEN (the kit in
../shared/ckan, the official ckan-docker setup, or any CKAN 2.9+ with a sysadmin token).

Without them the tests of this tier skip; with ``CI=true`` a missing or unreachable
CKAN fails them instead, so a broken CKAN start cannot hide them. Each test session
uses its own prefix for organization and dataset names (``RUN``), and what it created
is purged at the end.
"""

from __future__ import annotations

import json
import os
import secrets
import urllib.error
import urllib.request
from typing import Any

import pytest

RUN = f"t{secrets.token_hex(3)}"


class RealCkan:
    """A minimal Action API caller for checking what the portal holds."""

    def __init__(self, url: str, token: str) -> None:
        self.url = url.rstrip("/")
        self.token = token

    def call(self, action: str, data: dict[str, Any] | None = None) -> Any:
        request = urllib.request.Request(
            f"{self.url}/api/3/action/{action}",
            data=json.dumps(data or {}).encode(),
            headers={"Authorization": self.token, "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as reply:
                return json.loads(reply.read())["result"]
        except urllib.error.HTTPError as exc:
            body = json.loads(exc.read() or b"null")
            raise LookupError(exc.code, body) from None

    def show(self, name: str) -> dict[str, Any] | None:
        try:
            result: dict[str, Any] = self.call("package_show", {"id": name})
        except LookupError as exc:
            if exc.args[0] == 404:
                return None
            raise
        return result

    def datasets_of(self, org: str) -> list[dict[str, Any]]:
        result = self.call(
            "package_search",
            {"fq": f'organization:"{org}"', "rows": 1000, "include_private": True},
        )
        found: list[dict[str, Any]] = result["results"]
        return found


def connect(url_var: str = "CKAN_URL", token_var: str = "CKAN_API_TOKEN") -> RealCkan:
    """The CKAN of this run, or a skip (a failure under CI=true). ``url_var`` and
    ``token_var`` name the variables (the ckanext-scheming CKAN has its own:
    ``CKAN_SCHEMING_URL`` and ``CKAN_SCHEMING_API_TOKEN``, see scripts/ckan-scheming.sh)."""
    url = os.environ.get(url_var, "").strip()
    token = os.environ.get(token_var, "").strip()
    in_ci = os.environ.get("CI", "").lower() == "true"
    problem = None
    if not url or not token:
        problem = f"{url_var} and {token_var} are not set"
    else:
        try:
            with urllib.request.urlopen(f"{url.rstrip('/')}/api/3/action/status_show", timeout=10):
                pass
        except (OSError, ValueError) as exc:
            problem = f"no CKAN answers at {url}: {exc}"
    if problem is not None:
        if in_ci:
            pytest.fail(f"the real-CKAN tests must run in CI: {problem}", pytrace=False)
        pytest.skip(f"real-CKAN tier: {problem} (see docs/publish.md)")
    return RealCkan(url, token)


def purge_run(ckan: RealCkan) -> None:
    """Purge the organizations and datasets of this run (best effort)."""
    try:
        orgs = ckan.call("organization_list", {"all_fields": False, "limit": 1000})
    except LookupError:
        return
    for org in orgs:
        if not str(org).startswith(RUN):
            continue
        try:
            for package in ckan.datasets_of(org):
                ckan.call("dataset_purge", {"id": package["id"]})
            ckan.call("organization_purge", {"id": org})
        except LookupError:
            continue
