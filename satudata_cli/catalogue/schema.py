"""The catalogue's schema, as numbered migrations.

Each migration is a function of a :class:`sqlite_utils.Database`; :data:`MIGRATIONS`
lists them in order and migration *n* (1-based) brings the schema to version *n*. A
migration runs in one transaction together with its row in the ``migrations`` table
(``version``, ``name``, ``applied_at``), so a crash mid-migration leaves the previous
version intact. Never edit a released migration: append a new one.

Tables (names fixed by the issue; open the file with Datasette to browse them):

``sources``
    one row per configured source (``id`` as in ``harvest_configs/``).
``datasets``
    one row per source and remote dataset (``UNIQUE(source_id, remote_id)``): the
    canonical record as JSON in ``record``, its ``content_hash``, a few fields copied
    out for listing, faceting and search (``name``, ``title``, ``organization``,
    ``notes``, ``tags`` as a JSON array, ``produsen_data``, ``jadwal_pemutakhiran``,
    ``tanggal_diperbarui``, ``klasifikasi_akses``, ``kode_wilayah``, ``license_id``,
    ``pilar`` since version 8),
    ``status`` (``active``/``withdrawn``), the verdict (``valid``, ``errors``,
    ``warnings``, ``infos``, ``findings_hash``) and the times ``first_seen``,
    ``last_seen``, ``last_changed``, ``missing_since``, ``withdrawn_at``.
``resources``
    the record's resources, rewritten only when the dataset changed.
``organizations``
    per source and organization: active, withdrawn, valid and invalid datasets;
    recomputed at the end of every job (``name`` NULL counts datasets without one).
``harvest_jobs``
    one row per run per source: ``status`` (``running``/``finished``/``failed``/
    ``interrupted``), ``full``, the counters (``added`` ... ``errored``, other
    counters in ``counters`` as JSON), ``started_at``/``finished_at``/``seconds``,
    ``pid``/``hostname`` of the process, ``error`` and ``notes``.
``harvest_events``
    per job and dataset: ``added``/``updated``/``withdrawn``/``restored``/``errored``
    with a message. ``unchanged`` is a kind the table accepts, but the writer counts
    unchanged datasets on the job instead of writing a row each.
``validation_findings``
    the current findings of each dataset (``rule``, ``severity``, ``path``,
    ``message_id``, ``message_en``, ``suggestion``), replaced when its verdict changes.
``compliance_snapshots``
    per ended harvest job, per organization and produsen data of its source: active,
    valid and fully compliant datasets and the sum of their scores (migration
    "compliance snapshots"; see :mod:`satudata_cli.catalogue.compliance`), for the
    reports' change since the previous harvest and ``report trend``; since version 7
    with the job's finish time ``taken_at``, kept after ``jobs prune`` and thinned by
    the retention of :mod:`satudata_cli.catalogue.history`; since version 8 per pillar
    too (``pilar``, ``pilar_known``; see ``_PILAR``).
``freshness_snapshots``
    per ended harvest job and agency, like ``compliance_snapshots``: active datasets
    on time, overdue and of unknown frequency (version 7, "monitoring history"; per
    pillar since version 8).
``link_runs``, ``link_checks``, ``link_state``
    the runs of ``satudata links check``, the history of every check of a link (per
    run, URL and dataset or resource giving it) and the current state of each URL
    (migration "link checks"; see :mod:`satudata_cli.catalogue.links`).
``datasets_fts``
    FTS5 over ``title``, ``notes``, ``tags``, ``organization`` with ``datasets`` as
    external content (made by sqlite-utils' ``enable_fts``, so Datasette offers a
    search box on ``datasets``).

Why the search index has no triggers: with ``enable_fts(create_triggers=True)`` every
row written fires a trigger that indexes that one row. Measured on the shared 2-core
development machine (20,000 generated records, batches of 500, whole JobWriter):
storing new records ran at 2,300-2,500 records/s with sqlite-utils' triggers (the
store alone already below the 5,000/s end-to-end target) and at 4,100-6,900/s when the
writer updates the index itself, set-based, once per batch; raw inserts of the rows
alone: about 9,000/s with the insert trigger, 26,000/s set-based, 40,000/s without any
index. sqlite-utils' update trigger also re-indexes a row on *any* update, so every
unchanged dataset's ``last_seen`` update would re-index it. The writer therefore runs
``INSERT INTO datasets_fts (datasets_fts, rowid, ...) SELECT 'delete', ...`` for the
old text of the batch's changed rows before it updates them, and ``INSERT INTO
datasets_fts (rowid, ...) SELECT ...`` for the batch's new and changed rows after, in
the batch's transaction, so the index always matches the committed rows (after a
``kill -9`` too). Rebuilding the whole index at job end instead would cost time in
proportion to the whole catalogue for every job, however few datasets changed.
Nothing else writes the indexed columns; after editing them by hand, run
:meth:`Catalogue.rebuild_search_index`.

Version 3 rebuilds ``validation_findings`` and ``harvest_events`` with the same columns
and indexes, their CHECK constraints written with ``OR`` instead of an ``IN`` list (see
``_V3_REBUILT``). ``idx_validation_findings_rule`` stays: it costs about 1 us per
finding row written (0.1-0.25 s per 20,000 datasets, within the machine's noise) and
serves ``WHERE rule = ?`` and ``GROUP BY rule`` without a sort.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:  # imported when a migration runs (Catalogue.db), not at start-up
    import sqlite_utils

Migration = Callable[["sqlite_utils.Database"], None]

#: ``PRAGMA application_id`` of a satudata catalogue ("SDIC"), so that a file of some
#: other application is never taken for an empty catalogue and migrated.
APPLICATION_ID: Final = 0x53444943

FTS_COLUMNS: Final = ("title", "notes", "tags", "organization")

_V1_TABLES = """
CREATE TABLE sources (
    id TEXT PRIMARY KEY,
    title TEXT,
    type TEXT,
    url_or_path TEXT,
    config_hash TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE datasets (
    id INTEGER PRIMARY KEY,
    source_id TEXT NOT NULL REFERENCES sources(id),
    remote_id TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'withdrawn')),
    last_seen TEXT NOT NULL,
    missing_since TEXT,
    name TEXT,
    title TEXT,
    organization TEXT,
    valid INTEGER NOT NULL CHECK (valid IN (0, 1)),
    errors INTEGER NOT NULL DEFAULT 0,
    warnings INTEGER NOT NULL DEFAULT 0,
    infos INTEGER NOT NULL DEFAULT 0,
    first_seen TEXT NOT NULL,
    last_changed TEXT NOT NULL,
    withdrawn_at TEXT,
    remote_modified TEXT,
    produsen_data TEXT,
    jadwal_pemutakhiran TEXT,
    tanggal_diperbarui TEXT,
    klasifikasi_akses TEXT,
    kode_wilayah TEXT,
    license_id TEXT,
    tags TEXT,
    content_hash TEXT NOT NULL,
    findings_hash TEXT NOT NULL,
    notes TEXT,
    record TEXT NOT NULL,
    UNIQUE (source_id, remote_id)
);
CREATE INDEX idx_datasets_source_status ON datasets (source_id, status);
CREATE INDEX idx_datasets_name ON datasets (name);
CREATE INDEX idx_datasets_remote_id ON datasets (remote_id);
CREATE INDEX idx_datasets_organization ON datasets (organization);

CREATE TABLE resources (
    id INTEGER PRIMARY KEY,
    dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT,
    url TEXT,
    format TEXT,
    description TEXT,
    record TEXT NOT NULL
);
CREATE INDEX idx_resources_dataset ON resources (dataset_id);

CREATE TABLE organizations (
    id INTEGER PRIMARY KEY,
    source_id TEXT NOT NULL REFERENCES sources(id),
    name TEXT,
    active INTEGER NOT NULL,
    withdrawn INTEGER NOT NULL,
    valid INTEGER NOT NULL,
    invalid INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX idx_organizations_source_name ON organizations (source_id, name);

CREATE TABLE harvest_jobs (
    id INTEGER PRIMARY KEY,
    source_id TEXT NOT NULL REFERENCES sources(id),
    status TEXT NOT NULL
        CHECK (status IN ('running', 'finished', 'failed', 'interrupted')),
    full INTEGER NOT NULL CHECK (full IN (0, 1)),
    started_at TEXT NOT NULL,
    finished_at TEXT,
    seconds REAL,
    added INTEGER NOT NULL DEFAULT 0,
    updated INTEGER NOT NULL DEFAULT 0,
    unchanged INTEGER NOT NULL DEFAULT 0,
    withdrawn INTEGER NOT NULL DEFAULT 0,
    restored INTEGER NOT NULL DEFAULT 0,
    errored INTEGER NOT NULL DEFAULT 0,
    counters TEXT,
    error TEXT,
    notes TEXT,
    pid INTEGER,
    pid_started TEXT,
    hostname TEXT
);
CREATE INDEX idx_harvest_jobs_source_started ON harvest_jobs (source_id, started_at);
CREATE INDEX idx_harvest_jobs_status ON harvest_jobs (status);
CREATE INDEX idx_harvest_jobs_started ON harvest_jobs (started_at);

CREATE TABLE harvest_events (
    id INTEGER PRIMARY KEY,
    job_id INTEGER NOT NULL REFERENCES harvest_jobs(id) ON DELETE CASCADE,
    dataset_id INTEGER REFERENCES datasets(id),
    remote_id TEXT,
    kind TEXT NOT NULL CHECK (kind IN
        ('added', 'updated', 'unchanged', 'withdrawn', 'restored', 'errored')),
    message TEXT,
    at TEXT NOT NULL
);
CREATE INDEX idx_harvest_events_job ON harvest_events (job_id);
CREATE INDEX idx_harvest_events_dataset ON harvest_events (dataset_id);

CREATE TABLE validation_findings (
    id INTEGER PRIMARY KEY,
    dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    rule TEXT NOT NULL,
    severity TEXT NOT NULL CHECK (severity IN ('error', 'warning', 'info')),
    path TEXT NOT NULL,
    message_id TEXT NOT NULL,
    message_en TEXT NOT NULL,
    suggestion TEXT
);
CREATE INDEX idx_validation_findings_dataset ON validation_findings (dataset_id);
CREATE INDEX idx_validation_findings_rule ON validation_findings (rule);
"""


def _v1_initial(db: sqlite_utils.Database) -> None:
    for statement in _V1_TABLES.split(";"):
        if statement.strip():
            db.execute(statement)
    # no triggers: the writer maintains the index per batch (see the module docstring)
    db.table("datasets").enable_fts(list(FTS_COLUMNS), create_triggers=False)


def _v2_input_hash(db: sqlite_utils.Database) -> None:
    # the hash of the record as the source gave it, with the validator's fingerprint:
    # when both are the same as last time, the harvest skips validating it again
    db.execute("ALTER TABLE datasets ADD COLUMN input_hash TEXT")


# v3: the same tables with each ``x IN ('a', 'b', 'c')`` CHECK written as ``x = 'a' OR
# x = 'b' OR ...``. The meaning is the same (the columns are NOT NULL), but SQLite
# evaluates an IN list of three or more values through a temporary index that it builds
# again on every execution of an INSERT, i.e. for every row ``executemany`` writes:
# measured 3-4 us a row, about 0.5 s of the 1.4 s it took to write the findings of
# 20,000 datasets (134,000 rows). The OR form costs nothing measurable.
_V3_REBUILT = {
    "validation_findings": (
        """CREATE TABLE validation_findings_v3 (
    id INTEGER PRIMARY KEY,
    dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    rule TEXT NOT NULL,
    severity TEXT NOT NULL
        CHECK (severity = 'error' OR severity = 'warning' OR severity = 'info'),
    path TEXT NOT NULL,
    message_id TEXT NOT NULL,
    message_en TEXT NOT NULL,
    suggestion TEXT
)""",
        "id, dataset_id, rule, severity, path, message_id, message_en, suggestion",
        (
            "CREATE INDEX idx_validation_findings_dataset ON validation_findings (dataset_id)",
            "CREATE INDEX idx_validation_findings_rule ON validation_findings (rule)",
        ),
    ),
    "harvest_events": (
        """CREATE TABLE harvest_events_v3 (
    id INTEGER PRIMARY KEY,
    job_id INTEGER NOT NULL REFERENCES harvest_jobs(id) ON DELETE CASCADE,
    dataset_id INTEGER REFERENCES datasets(id),
    remote_id TEXT,
    kind TEXT NOT NULL CHECK (kind = 'added' OR kind = 'updated' OR kind = 'unchanged'
        OR kind = 'withdrawn' OR kind = 'restored' OR kind = 'errored'),
    message TEXT,
    at TEXT NOT NULL
)""",
        "id, job_id, dataset_id, remote_id, kind, message, at",
        (
            "CREATE INDEX idx_harvest_events_job ON harvest_events (job_id)",
            "CREATE INDEX idx_harvest_events_dataset ON harvest_events (dataset_id)",
        ),
    ),
}


def _v3_cheap_checks(db: sqlite_utils.Database) -> None:
    # rebuilt as SQLite documents it (create, copy, drop, rename); no other table
    # refers to these two, and the migration's transaction makes it all or nothing
    for table, (create, columns, indexes) in _V3_REBUILT.items():
        db.execute(create)
        db.execute(
            f"INSERT INTO {table}_v3 ({columns}) SELECT {columns} FROM {table}"  # noqa: S608
        )
        db.execute(f"DROP TABLE {table}")
        db.execute(f"ALTER TABLE {table}_v3 RENAME TO {table}")
        for index in indexes:
            db.execute(index)


def _compliance_snapshots(db: sqlite_utils.Database) -> None:
    # per harvest job, per organization and produsen data of its source: the inputs of
    # the compliance score as the job left them (see satudata_cli.catalogue.compliance),
    # so that reports can show the change since the previous harvest
    db.execute(
        """CREATE TABLE compliance_snapshots (
    id INTEGER PRIMARY KEY,
    job_id INTEGER NOT NULL REFERENCES harvest_jobs(id) ON DELETE CASCADE,
    source_id TEXT NOT NULL,
    organization TEXT,
    produsen_data TEXT,
    datasets INTEGER NOT NULL,
    valid INTEGER NOT NULL,
    compliant INTEGER NOT NULL,
    score_sum REAL NOT NULL,
    formula INTEGER NOT NULL
)"""
    )
    db.execute("CREATE INDEX idx_compliance_snapshots_job ON compliance_snapshots (job_id)")


# publish state: per publish target and catalogue dataset, what is on the portal (the
# CKAN id and name), the hash of the package last published, and the last error; see
# satudata_cli/catalogue/publish_state.py
_PUBLISH_STATE = """
CREATE TABLE publish_state (
    id INTEGER PRIMARY KEY,
    target_id TEXT NOT NULL,
    dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    remote_id TEXT,
    remote_name TEXT,
    published_hash TEXT,
    published_at TEXT,
    withdrawn TEXT CHECK (withdrawn IS NULL OR withdrawn = 'private' OR withdrawn = 'deleted'),
    last_attempt_at TEXT NOT NULL,
    last_error TEXT,
    UNIQUE (target_id, dataset_id)
);
CREATE INDEX idx_publish_state_target_name ON publish_state (target_id, remote_name)
"""


def _publish_state(db: sqlite_utils.Database) -> None:
    for statement in _PUBLISH_STATE.split(";"):
        if statement.strip():
            db.execute(statement)


# link checks (issue 13): the runs of ``satudata links check``, the history of every
# link check (one row per run, URL and place the URL is given: a dataset's link_akses
# or one of its resources) and the current state per URL; see
# satudata_cli/catalogue/links.py
_LINK_CHECKS = """
CREATE TABLE link_runs (
    id INTEGER PRIMARY KEY,
    status TEXT NOT NULL CHECK (status = 'running' OR status = 'finished'
        OR status = 'interrupted' OR status = 'failed' OR status = 'no-network'),
    started_at TEXT NOT NULL,
    finished_at TEXT,
    urls INTEGER NOT NULL DEFAULT 0,
    counters TEXT,
    pid INTEGER,
    hostname TEXT,
    notes TEXT
);
CREATE INDEX idx_link_runs_started ON link_runs (started_at);

CREATE TABLE link_checks (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES link_runs(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    dataset_id INTEGER REFERENCES datasets(id) ON DELETE SET NULL,
    resource_id INTEGER,
    resource_position INTEGER,
    checked_at TEXT NOT NULL,
    verdict TEXT NOT NULL CHECK (verdict = 'ok' OR verdict = 'broken'
        OR verdict = 'unverifiable' OR verdict = 'redirected-permanently'
        OR verdict = 'skipped' OR verdict = 'invalid'),
    status INTEGER,
    final_url TEXT,
    content_type TEXT,
    content_length INTEGER,
    elapsed_ms INTEGER,
    reason_id TEXT,
    reason_en TEXT
);
CREATE INDEX idx_link_checks_run ON link_checks (run_id);
CREATE INDEX idx_link_checks_url ON link_checks (url, checked_at);
CREATE INDEX idx_link_checks_dataset ON link_checks (dataset_id);

CREATE TABLE link_state (
    url TEXT PRIMARY KEY,
    checked_at TEXT NOT NULL,
    run_id INTEGER,
    verdict TEXT NOT NULL,
    status INTEGER,
    final_url TEXT,
    content_type TEXT,
    content_length INTEGER,
    elapsed_ms INTEGER,
    reason_id TEXT,
    reason_en TEXT,
    first_failed_at TEXT,
    last_failed_at TEXT,
    last_ok_at TEXT,
    failures INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID
"""


def _link_checks(db: sqlite_utils.Database) -> None:
    for statement in _LINK_CHECKS.split(";"):
        if statement.strip():
            db.execute(statement)


# monitoring history (issue 14): see satudata_cli/catalogue/history.py and
# docs/monitoring.md. Four changes in one migration:
# - compliance_snapshots rebuilt with the time of its job (``taken_at``, from the job's
#   finish time) and without ``ON DELETE CASCADE``: the history outlives ``jobs prune``
#   (which keeps 90 days of jobs and events by default) and is thinned by its own
#   retention instead;
# - freshness_snapshots: per ended job and agency of its source, the active datasets on
#   time, overdue and of unknown frequency, as the freshness report judges them;
# - harvest_events.fields: the changed top-level fields of an ``updated`` event as a JSON
#   array (the record's old version is not kept, so they are named when it is written);
# - harvest_events.findings_new / findings_fixed: the errors and warnings the event's
#   verdict adds and removes (for ``report changes``: findings fixed vs new).
_MONITORING_HISTORY = """
CREATE TABLE compliance_snapshots_v7 (
    id INTEGER PRIMARY KEY,
    job_id INTEGER NOT NULL,
    taken_at TEXT NOT NULL,
    source_id TEXT NOT NULL,
    organization TEXT,
    produsen_data TEXT,
    datasets INTEGER NOT NULL,
    valid INTEGER NOT NULL,
    compliant INTEGER NOT NULL,
    score_sum REAL NOT NULL,
    formula INTEGER NOT NULL
);
INSERT INTO compliance_snapshots_v7 (id, job_id, taken_at, source_id, organization,
    produsen_data, datasets, valid, compliant, score_sum, formula)
    SELECT s.id, s.job_id, coalesce(j.finished_at, j.started_at), s.source_id,
    s.organization, s.produsen_data, s.datasets, s.valid, s.compliant, s.score_sum, s.formula
    FROM compliance_snapshots s JOIN harvest_jobs j ON j.id = s.job_id;
DROP TABLE compliance_snapshots;
ALTER TABLE compliance_snapshots_v7 RENAME TO compliance_snapshots;
CREATE INDEX idx_compliance_snapshots_job ON compliance_snapshots (job_id);
CREATE INDEX idx_compliance_snapshots_taken ON compliance_snapshots (taken_at);
CREATE TABLE freshness_snapshots (
    id INTEGER PRIMARY KEY,
    job_id INTEGER NOT NULL,
    taken_at TEXT NOT NULL,
    source_id TEXT NOT NULL,
    organization TEXT,
    produsen_data TEXT,
    datasets INTEGER NOT NULL,
    on_time INTEGER NOT NULL,
    overdue INTEGER NOT NULL,
    unknown_frequency INTEGER NOT NULL
);
CREATE INDEX idx_freshness_snapshots_job ON freshness_snapshots (job_id);
CREATE INDEX idx_freshness_snapshots_taken ON freshness_snapshots (taken_at);
ALTER TABLE harvest_events ADD COLUMN fields TEXT;
ALTER TABLE harvest_events ADD COLUMN findings_new INTEGER;
ALTER TABLE harvest_events ADD COLUMN findings_fixed INTEGER
"""


def _monitoring_history(db: sqlite_utils.Database) -> None:
    for statement in _MONITORING_HISTORY.split(";"):
        if statement.strip():
            db.execute(statement)


# the pillars of Medan Satu Data (issue 14): the record's ``pilar`` copied out to
# ``datasets.pilar`` (for grouping and faceting; existing rows filled from their stored
# record, a text pilar only), and the snapshots kept per pillar too: ``pilar`` joins
# organization and produsen data in their grouping, and ``pilar_known`` is 1 on every
# row written since (``pilar`` NULL then means "no pillar"). A row from before has
# ``pilar_known`` 0: it was taken without its pillar, which the readers resolve from
# the current datasets of its source and organization
# (:func:`satudata_cli.catalogue.compliance.resolve_old_pilar`).
_PILAR = """
ALTER TABLE datasets ADD COLUMN pilar TEXT;
UPDATE datasets SET pilar = json_extract(record, '$.pilar')
    WHERE json_valid(record) AND json_type(record, '$.pilar') = 'text';
ALTER TABLE compliance_snapshots ADD COLUMN pilar TEXT;
ALTER TABLE compliance_snapshots ADD COLUMN pilar_known INTEGER NOT NULL DEFAULT 0;
ALTER TABLE freshness_snapshots ADD COLUMN pilar TEXT;
ALTER TABLE freshness_snapshots ADD COLUMN pilar_known INTEGER NOT NULL DEFAULT 0
"""


def _pilar(db: sqlite_utils.Database) -> None:
    for statement in _PILAR.split(";"):
        if statement.strip():
            db.execute(statement)


MIGRATIONS: Final[tuple[tuple[str, Migration], ...]] = (
    ("initial", _v1_initial),
    ("input hash", _v2_input_hash),
    ("cheap CHECK constraints", _v3_cheap_checks),
    ("compliance snapshots", _compliance_snapshots),
    ("publish state", _publish_state),
    ("link checks", _link_checks),
    ("monitoring history", _monitoring_history),
    ("pilar", _pilar),
)

SCHEMA_VERSION: Final = len(MIGRATIONS)
