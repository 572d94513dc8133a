"""The validate run of pipeline/validate.py, built from plain arguments and executed
without the CLI (as check-jsonschema builds, then runs)."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest

from satudata_cli.core.errors import ProfileError, UsageError
from satudata_cli.pipeline.validate import build_validate_run
from satudata_cli.standard.findings import RecordResult, Severity
from tests.helpers.records import make_record


@pytest.fixture
def records(tmp_path: Path) -> Path:
    path = tmp_path / "records.json"
    bad = make_record(2)
    del bad["title"]
    path.write_text(json.dumps([make_record(0), make_record(1), bad]), encoding="utf-8")
    return path


def test_build_then_execute(records: Path) -> None:
    run = build_validate_run([str(records)], as_of=date(2026, 11, 28))
    seen: list[RecordResult] = []
    summary = run.execute(seen.append)
    assert summary.records == 3 == len(seen)
    assert summary.invalid == 1
    assert not summary.ok
    assert run.validator.today == date(2026, 11, 28)


def test_execute_without_a_callback_and_from_stdin(records: Path) -> None:
    stdin = io.BytesIO(records.read_bytes())
    summary = build_validate_run(["-"], stdin=stdin).execute()
    assert summary.records == 3


def test_fail_on_warning_is_passed_to_the_validator(records: Path) -> None:
    run = build_validate_run([str(records)], fail_on=Severity.WARNING)
    assert run.validator.fail_on is Severity.WARNING


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "give at least one PATH"),
        ({"paths": ["nowhere.json"]}, "path does not exist: nowhere.json"),
        ({"source_ids": ["dinkes"], "paths": ["-"]}, "--source goes with --catalog"),
        ({"paths": ["-"], "catalogue": Path("x.db")}, "either PATHs or --catalog"),
        ({"catalogue": Path("missing.db")}, "does not exist yet"),
    ],
)
def test_arguments_that_do_not_fit_are_usage_errors(
    kwargs: dict[str, object], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UsageError, match=message.replace("(", r"\(")):
        build_validate_run(**kwargs)  # type: ignore[arg-type]


def test_a_broken_profile_is_a_profile_error(records: Path, tmp_path: Path) -> None:
    profile = tmp_path / "broken.yaml"
    profile.write_text("name: [unclosed\n", encoding="utf-8")
    with pytest.raises(ProfileError):
        build_validate_run([str(records)], profile=str(profile))
