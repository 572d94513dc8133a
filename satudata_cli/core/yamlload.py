"""The one YAML loader: configuration files (:mod:`satudata_cli.core.configfile`) and
metadata files (:mod:`satudata_cli.readers.files`) are both read with :class:`YamlLoader`.

It is PyYAML's safe loader (libyaml's C parser when PyYAML has it, the pure-Python one
otherwise) with PyYAML's own composer and constructor on top, bounded where PyYAML is
not and forgiving where it would crash:

- **depth**: a collection nested more than :data:`MAX_DEPTH` levels is refused while
  the document is composed, long before Python's recursion limit (5,000 nested
  brackets: one :class:`YamlLimitError` with the line, not a ``RecursionError``);
- **aliases**: a document that uses aliases (``*name``) is measured on its composed
  node graph before any object is built: its size and depth with every alias
  expanded, each node counted once (memoised), so a "billion laughs" document costs
  as much as its text. Over ``max_nodes`` (about twice the text's length) or
  :data:`MAX_DEPTH`, or an alias inside the value it names, is a
  :class:`YamlLimitError`;
- **dates that do not exist**: an unquoted scalar shaped like a date that is none
  (``2025-02-29``, ``0000-01-01``, hour 24, month 13) stays the string it was written
  as (PyYAML raises ``ValueError``); :attr:`YamlLoader.bad_dates` keeps their nodes
  so configuration files can refuse them with ``FILE:LINE``;
- **other scalars a tag cannot build** (``!!int abc``, ``!!timestamp soon``,
  ``!!bool maybe``, an integer longer than Python converts): a
  :class:`yaml.constructor.ConstructorError` with the line, a ``yaml.YAMLError`` like
  every other problem of the text.

Values PyYAML builds that JSON cannot hold (``.inf``, ``.nan``, ``!!binary``) are kept
as loaded; :mod:`satudata_cli.core.values` finds them where it matters.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

__all__ = ["MAX_DEPTH", "YamlLimitError", "YamlLoader", "compose", "load_all", "node_budget"]

#: Deepest nesting accepted (a metadata record or a configuration file needs < 10).
MAX_DEPTH = 100

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
# what a scalar constructor raises on a value it cannot build (int("abc"),
# date(2025, 2, 29), a missing regex match, a bool not in its table, too many digits)
_SCALAR_FAILURES = (ValueError, TypeError, KeyError, AttributeError, OverflowError)

try:  # libyaml: the text is scanned and parsed in C, ~8x faster
    from yaml._yaml import CParser as _Parser

    def _init_parser(loader: Any, stream: str) -> None:
        _Parser.__init__(loader, stream)

    _BASES: tuple[type, ...] = (Composer, _Parser)
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    def _init_parser(loader: Any, stream: str) -> None:
        Reader.__init__(loader, stream)
        Scanner.__init__(loader)
        Parser.__init__(loader)

    _BASES = (Reader, Scanner, Parser, Composer)


class YamlLimitError(yaml.MarkedYAMLError):
    """The document is nested too deeply, or its aliases expand to too much.

    ``kind`` is ``depth``, ``aliases`` or ``cycle``; ``problem_mark`` is where: the
    node too deep, the first (smallest) value whose expansion is too large, the alias
    inside its own anchor.
    """

    def __init__(self, kind: str, problem: str, mark: yaml.Mark | None) -> None:
        super().__init__(problem=problem, problem_mark=mark)
        self.kind = kind


def node_budget(text: str) -> int:
    """How many values a document of ``text`` may hold with its aliases expanded: twice
    its length (a document without aliases never comes near) plus a margin."""
    return 10_000 + 2 * len(text)


class YamlLoader(*_BASES, SafeConstructor, Resolver):  # type: ignore[misc]
    """PyYAML's safe loader with the bounds and fallbacks of the module docstring.

    Use it through :func:`load_all` and :func:`compose`, or, for a document and its
    nodes at once (a configuration file), ``loader.get_single_node()`` then
    ``loader.construct_document(node)``; call ``dispose()`` when done.
    """

    def __init__(self, text: str, *, max_nodes: int | None = None) -> None:
        _init_parser(self, text)
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)
        self.max_nodes = node_budget(text) if max_nodes is None else max_nodes
        #: scalars shaped like a date that is none, kept as strings
        self.bad_dates: list[ScalarNode] = []
        self._depth = 0
        self._aliases = 0

    # -- composing -------------------------------------------------------------------

    def compose_document(self) -> Node | None:
        self._aliases = 0
        try:
            node: Node | None = super().compose_document()
        except yaml.MarkedYAMLError as exc:
            if exc.problem == "exceeded maximum nesting depth":  # libyaml's own bound (1,000)
                raise YamlLimitError(
                    "depth", f"nested more than {MAX_DEPTH} levels deep", exc.problem_mark
                ) from None
            raise
        if node is not None and self._aliases:
            _check_expansion(node, self.max_nodes)
        return node

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(AliasEvent):
            self._aliases += 1
            return super().compose_node(parent, index)  # type: ignore[no-any-return]
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise YamlLimitError("depth", f"nested more than {MAX_DEPTH} levels deep", mark)
            return super().compose_node(parent, index)  # type: ignore[no-any-return]
        finally:
            self._depth -= 1

    # -- constructing ----------------------------------------------------------------

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except _SCALAR_FAILURES:
            # the value itself is never echoed: it could be a misplaced secret
            raise ConstructorError(
                None, None, f"cannot read this value as {_tag_name(node.tag)}", node.start_mark
            ) from None

    def construct_yaml_timestamp(self, node: ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except _SCALAR_FAILURES:
            self.bad_dates.append(node)
            return node.value


YamlLoader.add_constructor(_TIMESTAMP, YamlLoader.construct_yaml_timestamp)


def _tag_name(tag: str) -> str:
    return tag.rsplit(":", 1)[-1] or "scalar"


def _check_expansion(root: Node, max_nodes: int) -> None:
    """Refuse a node graph whose aliases expand past ``max_nodes`` values or
    :data:`MAX_DEPTH` levels, or that holds an alias inside its own anchor.

    Size and depth are computed bottom-up once per node (iteratively: an expanded
    depth may be far beyond the recursion limit)."""
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    open_: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            children = _children(node)
            size[key] = 1 + sum(size[id(c)] for c in children)
            depth[key] = 1 + max((depth[id(c)] for c in children), default=0)
            open_.discard(key)
            if size[key] > max_nodes:
                raise YamlLimitError(
                    "aliases",
                    f"its aliases (*) expand to more than {max_nodes} values",
                    node.start_mark,
                )
            if depth[key] > MAX_DEPTH:
                raise YamlLimitError(
                    "depth",
                    f"with its aliases (*) expanded, nested more than {MAX_DEPTH} levels deep",
                    node.start_mark,
                )
            continue
        if key in size:
            continue
        if key in open_:
            raise YamlLimitError(
                "cycle", "an alias (*) refers to the value that contains it", node.start_mark
            )
        open_.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) in open_:
                raise YamlLimitError(
                    "cycle", "an alias (*) refers to the value that contains it", child.start_mark
                )
            if id(child) not in size:
                stack.append((child, False))


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def load_all(text: str, *, max_nodes: int | None = None) -> Iterator[Any]:
    """Every document of ``text``, built one at a time (``yaml.YAMLError`` on a
    problem, :class:`YamlLimitError` among them)."""
    loader = YamlLoader(text, max_nodes=max_nodes)
    try:
        while loader.check_node():
            node = loader.get_node()
            yield loader.construct_document(node)
    finally:
        loader.dispose()


def compose(text: str) -> Node | None:
    """The node tree of a single-document ``text`` (bounded like :func:`load_all`)."""
    loader = YamlLoader(text)
    try:
        node: Node | None = loader.get_single_node()
        return node
    finally:
        loader.dispose()
