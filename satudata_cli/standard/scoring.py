"""The compliance score of a dataset and of an agency (perangkat daerah), 0 to 100.

Formula (version :data:`FORMULA_VERSION`), from the dataset's current findings:

    dataset score = max(0, 100 - 20 x (missing required fields)
                               - 5 x (missing recommended fields)
                               - 10 x (other error findings)
                               - 2 x (other warning findings))

"Missing required fields" are ``field.required`` findings, "missing recommended fields"
``field.recommended`` findings, both counted only while their severity is ``error`` or
``warning`` (a profile that turned a rule into ``info`` or ``off`` makes it cost
nothing). Info findings never cost anything. So errors weigh more than warnings, and a
missing required field more than a missing recommended one.

Link findings (``link.*``, from the stored link checks: a broken link, a permanent
redirect, a web page where a data file is declared) count as other errors and warnings.

An agency's score is the mean of its active datasets' scores; a dataset with no error
and no warning scores 100 and is *fully compliant*.

The formula exists once, as the SQL expression :func:`dataset_score_sql`, so that the
reports and the per-harvest snapshots (the "change since the previous harvest") can
never disagree. Changing a weight means raising :data:`FORMULA_VERSION`; snapshots of
another version are not compared with.
"""

from __future__ import annotations

from typing import Final

FORMULA_VERSION: Final = 1
MISSING_REQUIRED: Final = 20
MISSING_RECOMMENDED: Final = 5
OTHER_ERROR: Final = 10
OTHER_WARNING: Final = 2

FORMULA_TEXT: Final = (
    f"dataset score = max(0, 100 - {MISSING_REQUIRED} x missing required fields"
    f" - {MISSING_RECOMMENDED} x missing recommended fields - {OTHER_ERROR} x other errors"
    f" - {OTHER_WARNING} x other warnings); agency score = mean of its active datasets' scores"
)
FORMULA_TEXT_ID: Final = (
    f"skor dataset = maks(0, 100 - {MISSING_REQUIRED} x kolom wajib kosong"
    f" - {MISSING_RECOMMENDED} x kolom anjuran kosong - {OTHER_ERROR} x galat lain"
    f" - {OTHER_WARNING} x peringatan lain); skor perangkat daerah = rata-rata skor"
    " dataset aktifnya"
)


def penalty_sql(rule: str = "f.rule", severity: str = "f.severity") -> str:
    """The points one finding costs, as an SQL ``CASE`` over its rule and severity."""
    return (
        f"CASE WHEN {severity} != 'error' AND {severity} != 'warning' THEN 0 "
        f"WHEN {rule} = 'field.required' THEN {MISSING_REQUIRED} "
        f"WHEN {rule} = 'field.recommended' THEN {MISSING_RECOMMENDED} "
        f"WHEN {severity} = 'error' THEN {OTHER_ERROR} ELSE {OTHER_WARNING} END"
    )


def finding_points(rule: str, severity: str) -> int:
    """The points one finding costs: :func:`penalty_sql` for one known finding."""
    if severity != "error" and severity != "warning":
        return 0
    if rule == "field.required":
        return MISSING_REQUIRED
    if rule == "field.recommended":
        return MISSING_RECOMMENDED
    return OTHER_ERROR if severity == "error" else OTHER_WARNING


def dataset_score_sql(dataset_id: str = "d.id", link_points: str | None = None) -> str:
    """The score of the dataset whose id is the SQL expression ``dataset_id``.

    ``link_points``: an SQL expression of the points its link findings cost (from the
    stored link checks, :mod:`satudata_cli.catalogue.link_findings`); they count as
    other errors and warnings."""
    links = f" - coalesce({link_points}, 0)" if link_points else ""
    return (
        "max(0, 100 - coalesce((SELECT sum("  # noqa: S608 (fixed text)
        + penalty_sql()
        + f") FROM validation_findings f WHERE f.dataset_id = {dataset_id}), 0){links})"
    )
