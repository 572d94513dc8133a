"""The catalogue's SQL stays behind its methods (issue 10, item 6).

Outside ``satudata_cli/catalogue/`` no module imports ``sqlite3`` or ``sqlite_utils``,
reads a ``.conn`` (the catalogue's connection) or calls the catalogue's private
plumbing (``._guard``, ``._transaction``). Inside it, rows are read by column name:
no ``row[0]``-style subscript and no ``.fetchone()[0]``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import satudata_cli

PACKAGE = Path(satudata_cli.__file__).parent
CATALOGUE = PACKAGE / "catalogue"

_DATABASE_MODULES = frozenset({"sqlite3", "sqlite_utils"})
_CATALOGUE_INTERNALS = frozenset({"conn", "_guard", "_transaction"})
# names this package gives a database row (or a tuple of one)
_ROW_NAMES = frozenset({"row", "r", "job", "known", "prev", "previous"})


def _imports(tree: ast.AST) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name.partition(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module.partition(".")[0]


def storage_leaks(source: str, filename: str = "<source>") -> list[str]:
    """Where ``source`` (a module outside catalogue/) reaches into the storage."""
    tree = ast.parse(source, filename)
    found = [
        f"{filename}:{line}: imports {module}"
        for line, module in _imports(tree)
        if module in _DATABASE_MODULES
    ]
    found.extend(
        f"{filename}:{node.lineno}: uses .{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr in _CATALOGUE_INTERNALS
    )
    return found


def positional_row_reads(source: str, filename: str = "<source>") -> list[str]:
    """Where ``source`` (a catalogue module) reads a row's column by its position."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source, filename)):
        if not isinstance(node, ast.Subscript):
            continue
        index = node.slice
        if isinstance(index, ast.Slice):
            index = index.lower or index.upper or index
        if not (isinstance(index, ast.Constant) and isinstance(index.value, int)):
            continue
        if _is_row(node.value):
            found.append(f"{filename}:{node.lineno}: {ast.unparse(node)}")
    return found


def _is_row(node: ast.expr) -> bool:
    """A name given to a row, or a ``fetchone()``/``fetchall()`` call."""
    if isinstance(node, ast.Name):
        return node.id in _ROW_NAMES
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("fetchone", "fetchall")
    )


def _modules(root: Path) -> Iterator[Path]:
    yield from sorted(root.rglob("*.py"))


def test_no_sql_outside_the_catalogue() -> None:
    leaks: list[str] = []
    checked = 0
    for path in _modules(PACKAGE):
        if CATALOGUE in path.parents:
            continue
        checked += 1
        name = str(path.relative_to(PACKAGE.parent))
        leaks.extend(storage_leaks(path.read_text(encoding="utf-8"), name))
    assert checked > 20  # the walk found the package
    assert leaks == []


def test_catalogue_reads_rows_by_name() -> None:
    reads: list[str] = []
    for path in _modules(CATALOGUE):
        name = str(path.relative_to(PACKAGE.parent))
        reads.extend(positional_row_reads(path.read_text(encoding="utf-8"), name))
    assert reads == []


def test_the_checks_find_what_they_look_for() -> None:
    leaky = (
        "import sqlite3\n"
        "from sqlite_utils import Database\n"
        "def f(cat):\n"
        "    with cat._guard('x'), cat._transaction():\n"
        "        return cat.conn.execute('SELECT 1')\n"
    )
    assert storage_leaks(leaky) == [
        "<source>:1: imports sqlite3",
        "<source>:2: imports sqlite_utils",
        "<source>:4: uses ._guard",
        "<source>:4: uses ._transaction",
        "<source>:5: uses .conn",
    ]
    clean = "from satudata_cli.catalogue import Catalogue\ndef f(cat):\n    return cat.stats()\n"
    assert storage_leaks(clean) == []
    positional = (
        "def f(conn, cursor):\n"
        "    n = conn.execute('SELECT count(*) FROM t').fetchone()[0]\n"
        "    for row in cursor:\n"
        "        yield row[1], row[2:]\n"
        "    return n\n"
    )
    assert positional_row_reads(positional) == [
        "<source>:2: conn.execute('SELECT count(*) FROM t').fetchone()[0]",
        "<source>:4: row[1]",
        "<source>:4: row[2:]",
    ]
    assert positional_row_reads("def f(row):\n    return row['id'], row[key]\n") == []
