"""``sources check`` as a use case (pipeline/preview.py): built, then run, writing nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from satudata_cli.core.errors import ProfileError
from satudata_cli.pipeline.preview import open_check
from satudata_cli.sources.base import SourceError
from satudata_cli.sources.config import SourceConfig, load_sources

CONFIG_DIR = Path(__file__).resolve().parents[2] / "harvest_configs"


def test_previews_the_first_records_of_a_folder_without_http() -> None:
    config = load_sources(CONFIG_DIR)[0]
    with open_check(config) as check:
        assert check.http is None  # a directory needs no HTTP (the registry's rule)
        preview = check.run(limit=3)
    assert len(preview.rows) == 3
    assert preview.valid + preview.invalid + preview.errored == 3
    row = preview.rows[0].to_dict()
    assert list(row) == ["remote_id", "title", "valid", "findings"]
    assert all(
        isinstance(f, str) and f.split()[0] in {"error", "warning", "info"}
        for r in preview.rows
        for f in r.findings
    )


def test_a_broken_profile_fails_while_building_not_while_reading(tmp_path: Path) -> None:
    config = SourceConfig.model_validate(
        {"id": "x", "type": "directory", "path": str(tmp_path), "profile": "tidak-ada"}
    )
    with pytest.raises(ProfileError), open_check(config):
        pass  # pragma: no cover - never reached


def test_a_source_that_cannot_be_read_fails_the_run(tmp_path: Path) -> None:
    config = SourceConfig.model_validate(
        {"id": "x", "type": "directory", "path": str(tmp_path / "hilang")}
    )
    with open_check(config) as check, pytest.raises(SourceError, match="does not exist"):
        check.run(limit=5)
    assert not (tmp_path / "hilang").exists()
