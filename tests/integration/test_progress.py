"""Progress with a total: a source that knows how many records its pass yields (CKAN's
``count``, a data.json's length, a JSON API's ``total``) tells the engine, and the
terminal display shows ``done/total`` and an ETA. The sources run against the loopback
fixture servers; the display is drawn on a forced terminal."""

from __future__ import annotations

import io
import json
import threading
from collections import Counter
from pathlib import Path

import pytest
from rich.console import Console

from satudata_cli.cli.harvest_cmd import _Progress
from satudata_cli.pipeline.harvest import Harvester, SourceOutcome
from satudata_cli.sources.config import SourceConfig, load_source
from tests.helpers.ckan_fixture import CkanFixture, make_packages
from tests.helpers.cli import Cli, write_source
from tests.helpers.jsonapi_fixture import JsonApiFixture
from tests.helpers.records import make_record
from tests.helpers.source_helpers import source_config

ROOT = Path(__file__).resolve().parents[2]
DATAJSON = ROOT / "tests" / "data" / "datajson" / "pemko-data.json"


class Recorder:
    """A HarvestObserver that keeps what it was told."""

    def __init__(self) -> None:
        self.totals: dict[str, list[int]] = {}
        self.done: Counter[str] = Counter()
        self.lock = threading.Lock()

    def source_started(self, source_id: str) -> None:
        self.totals.setdefault(source_id, [])

    def source_total(self, source_id: str, total: int) -> None:
        with self.lock:
            self.totals[source_id].append(total)
            # told before the first record of the pass is counted
            assert self.done[source_id] == 0

    def record_done(self, source_id: str, kind: str) -> None:
        with self.lock:
            self.done[source_id] += 1

    def source_finished(self, outcome: SourceOutcome) -> None:
        return None


def run(db: Path, config: SourceConfig, limit: int | None = None) -> Recorder:
    recorder = Recorder()
    report = Harvester(db, observer=recorder).run([config], limit=limit)
    assert report.outcomes[0].status == "finished", report.outcomes[0].error
    return recorder


def ckan_config(tmp_path: Path, url: str) -> SourceConfig:
    http = {"timeout": 10, "requests_per_second": 1000, "retries": 0}
    return source_config(tmp_path, "ckan-medan", "ckan", url=url, http=http)


def test_ckan_count_is_the_total(tmp_path: Path) -> None:
    with CkanFixture(datasets=make_packages(120, seed=5)) as ckan:
        recorder = run(tmp_path / "k.db", ckan_config(tmp_path, ckan.url))
        limited = run(tmp_path / "l.db", ckan_config(tmp_path, ckan.url), limit=30)
    assert recorder.totals == {"ckan-medan": [120]}
    assert recorder.done["ckan-medan"] == 120
    assert limited.totals == {"ckan-medan": [30]}  # at most --limit


def test_datajson_length_is_the_total(tmp_path: Path) -> None:
    entries = len(json.loads(DATAJSON.read_text(encoding="utf-8"))["dataset"])
    recorder = run(tmp_path / "k.db", source_config(tmp_path, "dj", "datajson", path=str(DATAJSON)))
    assert recorder.totals == {"dj": [entries]}
    assert recorder.done["dj"] == entries


def test_jsonapi_total_is_the_total(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SATUDATA_OPD_TOKEN", "t0k3n")
    with JsonApiFixture(count=23) as api:
        config = load_source(ROOT / "harvest_configs" / "examples" / "jsonapi-data-meta.yaml")
        assert config.url is not None
        path = config.url.split("satudata.example.go.id", 1)[1]
        config = config.model_copy(update={"url": api.url + path})
        recorder = run(tmp_path / "k.db", config)
    assert recorder.totals == {config.id: [23]}


def test_dcat_catalogue_size_is_the_total(tmp_path: Path) -> None:
    ttl = ROOT / "tests" / "data" / "dcat" / "catalog.ttl"
    recorder = run(tmp_path / "k.db", source_config(tmp_path, "dcat", "dcat", path=str(ttl)))
    assert recorder.totals["dcat"] == [recorder.done["dcat"]] and recorder.done["dcat"] > 1


def test_a_source_without_a_total_says_none(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "a.json").write_text(json.dumps([make_record(1), make_record(2)]), "utf-8")
    recorder = run(tmp_path / "k.db", source_config(tmp_path, "dir", "directory", path=str(folder)))
    assert recorder.totals == {"dir": []} and recorder.done["dir"] == 2


def _drawn(progress: _Progress) -> str:
    progress.progress.refresh()
    console = progress.progress.console
    assert isinstance(console.file, io.StringIO)
    return console.file.getvalue()


def _terminal() -> Console:
    return Console(file=io.StringIO(), force_terminal=True, width=120, no_color=True)


def test_the_display_shows_total_and_eta() -> None:
    progress = _Progress(console=_terminal())
    with progress.progress:
        progress.source_started("ckan-medan")
        progress.source_total("ckan-medan", 200)
        for _ in range(50):
            progress.record_done("ckan-medan", "added")
        text = _drawn(progress)
    assert "ckan-medan" in text and "50/200 records" in text
    assert "ETA" in text


def test_the_display_without_a_total_counts_only() -> None:
    progress = _Progress(console=_terminal())
    with progress.progress:
        progress.source_started("dir")
        for _ in range(7):
            progress.record_done("dir", "added")
        text = _drawn(progress)
    assert "7 records" in text and "/" not in text.split("dir", 1)[1].split("records")[0]
    assert "ETA" not in text


def test_no_progress_on_a_pipe(tmp_path: Path) -> None:
    """stderr is not a terminal (cron, CI, a pipe): no progress line at all."""
    cfg = tmp_path / "cfg"
    with CkanFixture(datasets=make_packages(40, seed=5)) as ckan:
        http = {"requests_per_second": 1000, "retries": 0}
        write_source(cfg, "ckan-medan", type="ckan", url=ckan.url, http=http)
        result = Cli(tmp_path / "k.db", cfg)("harvest", "--all")
    assert result.exit_code == 0, result.output
    assert "records" not in result.stderr and "ETA" not in result.stderr
