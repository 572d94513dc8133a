"""The katalog's canned queries for Datasette (``satudata catalog datasette-metadata``).

SQL over the katalog's own tables stays in the catalogue package. Each query is a
template: ``{agency}``, ``{datasets}`` ... are the column names in the language of the run
(quoted identifiers, filled by :mod:`satudata_cli.reports.datasette`), ``{none}`` the
word for datasets without an agency, ``{message_column}`` the findings' message column of
that language. ``satudata_days_overdue`` is the SQL function of satudata's Datasette
plugin (:mod:`satudata_cli.reports.datasette_plugin`): the freshness report's own
judgement, not a second one in SQL.
"""

from __future__ import annotations

from typing import Final

#: Tables of the katalog that are machinery, not something to browse: the search
#: index's shadow tables, the migrations, SQLite's own.
_HIDDEN_PREFIXES: Final = ("datasets_fts", "migrations", "sqlite_")


def is_hidden(table: str) -> bool:
    """Tables Datasette should not list."""
    return table.startswith(_HIDDEN_PREFIXES)


OVERDUE_PER_AGENCY: Final = """
select
  coalesce(organization, '{none}') as {agency},
  count(*) as {datasets},
  sum(satudata_days_overdue(tanggal_diperbarui, remote_modified, first_seen,
                            jadwal_pemutakhiran) > 0) as {overdue},
  max(satudata_days_overdue(tanggal_diperbarui, remote_modified, first_seen,
                            jadwal_pemutakhiran)) as {worst}
from datasets
where status = 'active'
group by organization
order by {overdue} desc, {worst} desc, {agency}
"""

OVERDUE_DATASETS: Final = """
select
  id, coalesce(organization, '{none}') as {agency}, title, jadwal_pemutakhiran,
  tanggal_diperbarui,
  satudata_days_overdue(tanggal_diperbarui, remote_modified, first_seen,
                        jadwal_pemutakhiran) as {days}
from datasets
where status = 'active' and {days} > 0
order by {days} desc, {agency}, title
"""

INVALID_DATASETS: Final = """
select
  d.id, coalesce(d.organization, '{none}') as {agency}, d.title, d.errors, d.warnings,
  group_concat(f.rule || ': ' || f.{message_column}, char(10)) as {findings}
from datasets d
join validation_findings f on f.dataset_id = d.id and f.severity = 'error'
where d.status = 'active' and d.valid = 0
group by d.id
order by {agency}, d.title
"""

CHANGED_THIS_WEEK: Final = """
select
  e.at as {when}, e.kind as {what}, coalesce(d.organization, '{none}') as {agency},
  d.title, d.source_id, e.message
from harvest_events e
join datasets d on d.id = e.dataset_id
where e.kind in ('added', 'updated', 'withdrawn', 'restored')
  and e.at >= strftime('%Y-%m-%dT%H:%M:%S', 'now', '-7 days')
order by e.at desc
"""
