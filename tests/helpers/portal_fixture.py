"""Loopback servers for the big Indonesian portal families (tests/data/portals/).

Each family's datasets are files in ``tests/data/portals/<family>/``, written in the
portal's own shape; the server pages them as that family's API does, so the example
configurations in harvest_configs/examples/ are harvested the way they would harvest
the real portal:

``ckan-regional`` (``packages.json``)
    a provincial or city CKAN: the CKAN Action API of :class:`CkanFixture`
    (package_search with ``fq=organization:...``, rows/start, organization_show).
``nasional-proxy`` (``packages.json``)
    the national portal's proxy API: ``POST /api/proxy`` with the JSON body
    ``{"endpoint": "package_search?rows=R&start=S", "token": T}``; the answer wraps
    CKAN's package_search result as ``{"status": true, "message": "OK", "data":
    {"count": C, "results": [...]}}``; another token answers 401.
``status-message-data`` (``datasets.json``)
    a Laravel-built regional portal: ``GET /api/dataset?page=P&per_page=N`` ->
    ``{"status": 200, "message": "Berhasil", "data": <Laravel paginator>}`` (``data``
    holds ``current_page``, ``data`` (the records), ``per_page``, ``total``,
    ``last_page``, ``next_page_url``, ...), as Laravel's documented ``paginate()``
    JSON is.
``data-meta`` (``datasets.json``)
    a Laravel API resource collection: ``GET /api/v1/datasets?page=P`` (pages of 5) ->
    ``{"data": [...], "links": {"first", "last", "prev", "next"}, "meta":
    {"current_page", "from", "last_page", "path", "per_page", "to", "total"}}`` with
    absolute ``links.next`` (null on the last page).

Every request is recorded in :attr:`PortalFixture.requests` as (method, path with
query, JSON body).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.helpers.ckan_fixture import CkanFixture
from tests.helpers.jsonapi_fixture import JsonApiFixture

PORTALS = Path(__file__).resolve().parents[1] / "data" / "portals"


def portal_data(family: str) -> list[dict[str, Any]]:
    """The datasets of a family, as its portal writes them."""
    folder = PORTALS / family
    name = "packages.json" if (folder / "packages.json").is_file() else "datasets.json"
    data: list[dict[str, Any]] = json.loads((folder / name).read_text(encoding="utf-8"))
    return data


def ckan_regional() -> CkanFixture:
    """A CKAN of the ckan-regional family, its organizations known to organization_show."""
    packages = portal_data("ckan-regional")
    fixture = CkanFixture(datasets=packages)
    for package in packages:
        fixture.add_organization(package["organization"])
    return fixture


class PortalFixture(JsonApiFixture):
    """One non-CKAN family's API on 127.0.0.1 (``family``: nasional-proxy,
    status-message-data or data-meta): the server of :class:`JsonApiFixture` (its
    requests, headers and switches) with this family's routes and datasets."""

    def __init__(self, family: str, *, token: str | None = None) -> None:
        super().__init__(items=portal_data(family))
        self.family = family
        self.token = token

    def route(self, method: str, path: str, query: dict[str, str], body: Any) -> tuple[int, Any]:
        if (self.family, method, path) == ("nasional-proxy", "POST", "/api/proxy"):
            return self._proxy(body)
        if (self.family, method, path) == ("status-message-data", "GET", "/api/dataset"):
            return self._laravel_paginator(query)
        if (self.family, method, path) == ("data-meta", "GET", "/api/v1/datasets"):
            return self._resource_collection(query)
        return 404, {"status": 404, "message": f"tidak ditemukan: {path}", "data": None}

    def _proxy(self, body: Any) -> tuple[int, Any]:
        body = body if isinstance(body, dict) else {}
        if self.token is not None and body.get("token") != self.token:
            return 401, {"status": False, "message": "Token tidak valid", "data": None}
        endpoint = urlsplit(str(body.get("endpoint", "")))
        if endpoint.path != "package_search":
            return 400, {"status": False, "message": "endpoint tidak dikenal", "data": None}
        asked = {k: v[0] for k, v in parse_qs(endpoint.query).items()}
        start, rows = int(asked.get("start", 0)), min(int(asked.get("rows", 10)), 1000)
        result = {"count": len(self.items), "results": self.items[start : start + rows]}
        return 200, {"status": True, "message": "OK", "data": result}

    def _laravel_paginator(self, query: dict[str, str]) -> tuple[int, Any]:
        page, size = int(query.get("page", 1)), int(query.get("per_page", 15))
        total = len(self.items)
        last = max(1, math.ceil(total / size))
        rows = self.items[(page - 1) * size : page * size]
        path = f"{self.url}/api/dataset"
        paginator = {
            "current_page": page,
            "data": rows,
            "first_page_url": f"{path}?page=1",
            "from": (page - 1) * size + 1 if rows else None,
            "last_page": last,
            "last_page_url": f"{path}?page={last}",
            "next_page_url": f"{path}?page={page + 1}" if page < last else None,
            "path": path,
            "per_page": size,
            "prev_page_url": f"{path}?page={page - 1}" if page > 1 else None,
            "to": (page - 1) * size + len(rows) if rows else None,
            "total": total,
        }
        return 200, {"status": 200, "message": "Berhasil", "data": paginator}

    def _resource_collection(self, query: dict[str, str]) -> tuple[int, Any]:
        page, size = int(query.get("page", 1)), 5
        total = len(self.items)
        last = max(1, math.ceil(total / size))
        rows = self.items[(page - 1) * size : page * size]
        path = f"{self.url}/api/v1/datasets"
        return 200, {
            "data": rows,
            "links": {
                "first": f"{path}?page=1",
                "last": f"{path}?page={last}",
                "prev": f"{path}?page={page - 1}" if page > 1 else None,
                "next": f"{path}?page={page + 1}" if page < last else None,
            },
            "meta": {
                "current_page": page,
                "from": (page - 1) * size + 1 if rows else None,
                "last_page": last,
                "path": path,
                "per_page": size,
                "to": (page - 1) * size + len(rows) if rows else None,
                "total": total,
            },
        }
