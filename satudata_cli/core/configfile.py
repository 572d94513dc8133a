"""The one loader of YAML configuration files: sources, publish targets and profiles.

A configuration file is read, checked for keys that must never be there, and
validated as a pydantic model. Every problem is reported as
``FILE:LINE: key.path: what is wrong`` (all of them at once, never a traceback, never
a value from the file: a misplaced secret must not reach a message):

- a key named like a secret (``token``, ``api_key``, ``password``, ...; see
  :data:`SECRET_KEYS`) anywhere in the file is refused, unless its value is empty or
  the template ``"{token}"`` (:data:`TOKEN_TEMPLATE`): secrets live in environment
  variables named by ``token_env``;
- a key given twice in one mapping is refused (YAML would silently keep the last);
- the text is read with the one bounded loader (:mod:`satudata_cli.core.yamlload`): an
  alias bomb or nesting past its depth is refused before any object is built, an
  unquoted date that does not exist (``2025-02-29``) is a problem at its line, and so
  is a value no record could store (``.inf``, ``.nan``, ``!!binary``, a lone
  surrogate; :mod:`satudata_cli.core.values`);
- an unknown key names the keys allowed at that place, with a "did you mean" hint;
- a model's cross-field problem raised as :class:`KeyedValueError` points at the
  key it belongs to.

:func:`parse_config_file` reads one file, :func:`parse_config_folder` every file of a
folder (with unique ids). The caller turns the problems into its own error
(:class:`ConfigError` for sources, its subclasses or siblings elsewhere).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol, TypeVar, get_args
from urllib.parse import unquote_plus, urlsplit

import yaml
from pydantic import BaseModel, ValidationError, ValidationInfo

from satudata_cli.core.errors import SatudataError
from satudata_cli.core.values import unstorable
from satudata_cli.core.yamlload import YamlLimitError, YamlLoader, compose

__all__ = [
    "CREDENTIAL_HEADERS",
    "ENV_VAR_HELP",
    "SECRET_KEYS",
    "SECRET_QUERY",
    "TOKEN_TEMPLATE",
    "ConfigError",
    "KeyedValueError",
    "key_line",
    "key_line_in_file",
    "parse_config_file",
    "parse_config_folder",
    "resolve_relative",
    "secret_query_names",
]

ModelT = TypeVar("ModelT", bound=BaseModel)

#: Key names refused anywhere in a configuration file (compared lower-case, ``-`` as ``_``).
SECRET_KEYS: frozenset[str] = frozenset(
    {
        "token",
        "api_key",
        "apikey",
        "api_token",
        "access_token",
        "auth_token",
        "password",
        "passwd",
        "secret",
        "client_secret",
    }
)
#: Said wherever a secret is found in a configuration file.
ENV_VAR_HELP = (
    "secrets never live in configuration files: put the token in an environment "
    "variable and name that variable with token_env (e.g. token_env: SATUDATA_MEDAN_TOKEN)"
)
#: Query parameter (or header) names that carry a credential.
SECRET_QUERY = re.compile(r"token|api_?key|^key$|secret|passw|auth|signature|credential")
#: Header names that carry a credential (lower-case, ``-`` as ``_``).
CREDENTIAL_HEADERS = frozenset({"authorization", "proxy_authorization", "cookie", "x_api_key"})


class ConfigError(SatudataError):
    """A configuration file (or the folder of them) cannot be used.

    ``problems`` holds one line per problem (``FILE:LINE: key: message``); ``str()`` of
    the error is those lines joined. The CLI maps it to exit code 2.
    """

    def __init__(self, problems: str | Sequence[str]) -> None:
        self.problems: tuple[str, ...] = (
            (problems,) if isinstance(problems, str) else tuple(problems)
        )
        super().__init__("\n".join(self.problems))


class KeyedValueError(ValueError):
    """A model's cross-field problem that belongs to one key (for the error's location).

    ``key`` is appended to the location shown; ``anchor`` is the key whose line is
    given (the key that asks for the missing one, e.g. ``type`` for a missing ``url``).
    """

    def __init__(self, key: str, message: str, *, anchor: str | None = None) -> None:
        super().__init__(message)
        self.key = key
        self.anchor = anchor or key


def resolve_relative(path: Path, info: ValidationInfo) -> Path:
    """``path`` relative to the configuration file's folder (``context["base_dir"]``)."""
    base = info.context.get("base_dir") if isinstance(info.context, dict) else None
    path = path.expanduser()
    if base is not None and not path.is_absolute():
        return Path(base) / path
    return path


def secret_query_names(url: str) -> list[str]:
    """Names of query parameters of ``url`` that look like they carry a credential."""
    names = []
    for part in urlsplit(url).query.split("&"):
        name = unquote_plus(part.split("=", 1)[0]).lower().replace("-", "_")
        if name and SECRET_QUERY.search(name):
            names.append(name)
    return names


# -- where a key is ------------------------------------------------------------------


def key_line(root: yaml.Node | None, loc: Sequence[int | str]) -> int:
    """1-based line of the key at ``loc``; of its deepest existing parent when missing."""
    if root is None:
        return 1
    node: yaml.Node = root
    line = node.start_mark.line + 1
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == str(part):
                    line = key.start_mark.line + 1
                    node = value
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                return line
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def _compose_quietly(path: Path) -> yaml.Node | None:
    try:
        return compose(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None


def key_line_in_file(path: Path, loc: Sequence[int | str]) -> int:
    """:func:`key_line` of ``loc`` in the file at ``path`` (1 when it cannot be read)."""
    return key_line(_compose_quietly(path), loc)


# -- what is wrong -------------------------------------------------------------------


def _model_at(loc: Sequence[int | str], root: type[BaseModel]) -> type[BaseModel] | None:
    """The model whose keys are allowed at ``loc`` below ``root`` (for 'unknown key'
    hints)."""
    model: type[BaseModel] = root
    for part in loc:
        info = model.model_fields.get(str(part))
        annotation = info.annotation if info is not None else None
        candidates = (annotation, *get_args(annotation))  # X | None: look inside
        found = [c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)]
        if not found:
            return None
        model = found[0]
    return model


def _describe(
    err: Mapping[str, Any], root: type[BaseModel]
) -> tuple[list[int | str], list[int | str], str]:
    """(location shown, location used for the line, message) of one pydantic error."""
    loc: list[int | str] = list(err["loc"])
    anchor = list(loc)
    kind = err["type"]
    if kind == "extra_forbidden" and loc:
        allowed = _model_at(loc[:-1], root)
        message = "unknown key"
        if allowed is not None:
            names = [info.alias or name for name, info in allowed.model_fields.items()]
            close = difflib.get_close_matches(str(loc[-1]), names, n=1)
            if close:
                message += f" (did you mean {close[0]}?)"
            message += f"; allowed: {', '.join(names)}"
        return loc, anchor, message
    if kind == "missing":
        return loc, anchor, "required key is missing"
    error = err.get("ctx", {}).get("error")
    if isinstance(error, KeyedValueError):
        return [*loc, error.key], [*loc, error.anchor], str(error)
    message = re.sub(r"a valid dictionary( or instance of \w+)?", "a mapping", str(err["msg"]))
    if kind == "value_error":
        message = message.removeprefix("Value error, ")
    # Only the message: pydantic's "input" could echo a misplaced secret.
    return loc, anchor, message


#: The value of a secret-named key that is no secret: the template of the token read
#: from ``token_env`` (a JSON API's body may carry it, see sources/jsonapi.py).
TOKEN_TEMPLATE = "{token}"  # noqa: S105 (a template, not a password)


def _no_secret(node: yaml.Node) -> bool:
    """Whether a secret-named key's value holds no secret: ``"{token}"`` (filled from
    ``token_env`` when the request is made) or empty."""
    if not isinstance(node, yaml.ScalarNode):
        return False
    if node.tag.endswith(":null"):
        return True
    return str(node.value).strip() in ("", TOKEN_TEMPLATE)


def _key_problems(
    node: yaml.Node | None, prefix: tuple[str, ...] = ()
) -> list[tuple[int, str, str]]:
    """(line, key path, message) for secret-looking keys and keys given twice."""
    found: list[tuple[int, str, str]] = []
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            name = str(key.value)
            path = (*prefix, name)
            line = key.start_mark.line + 1
            if name.lower().replace("-", "_") in SECRET_KEYS and not _no_secret(value):
                found.append((line, ".".join(path), ENV_VAR_HELP))
            elif name in seen:
                found.append((line, ".".join(path), "given twice; keep one"))
            seen.add(name)
            found.extend(_key_problems(value, path))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            found.extend(_key_problems(item, (*prefix, str(index))))
    return found


def _node_paths(node: yaml.Node | None) -> dict[int, tuple[str, ...]]:
    """id(node) -> key path, for every node of a (bounded, alias-checked) tree."""
    paths: dict[int, tuple[str, ...]] = {}
    stack: list[tuple[yaml.Node, tuple[str, ...]]] = [(node, ())] if node is not None else []
    while stack:
        current, prefix = stack.pop()
        if id(current) in paths:
            continue
        paths[id(current)] = prefix
        if isinstance(current, yaml.MappingNode):
            stack.extend((value, (*prefix, str(key.value))) for key, value in current.value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend((item, (*prefix, str(i))) for i, item in enumerate(current.value))
    return paths


def _value_problems(
    root: yaml.Node | None, data: Any, bad_dates: Sequence[yaml.Node]
) -> list[tuple[int, str, str]]:
    """(line, key path, message) for unquoted dates that do not exist and for a value
    no record could store (never the value itself: it could be a misplaced secret)."""
    found: list[tuple[int, str, str]] = []
    if bad_dates:
        paths = _node_paths(root)
        for node in bad_dates:
            key = ".".join(paths.get(id(node), ())) or "(top level)"
            found.append(
                (
                    node.start_mark.line + 1,
                    key,
                    "not a date that exists (a day past the end of its month, month 13, "
                    "hour 24, year 0); write a real date, or quote it to keep it as text",
                )
            )
    bad = unstorable(data)
    if bad is not None:
        loc = [str(part) for part in bad.path]
        found.append((key_line(root, loc), ".".join(loc) or "(top level)", f"holds {bad.en}"))
    return sorted(found)


# -- loading ---------------------------------------------------------------------------


def parse_config_file(
    path: Path,
    model: type[ModelT],
    *,
    what: str,
    shape: str,
    needs: str = "id and type",
    context: dict[str, Any] | None = None,
) -> tuple[ModelT | None, list[str]]:
    """One YAML configuration file validated as ``model``: the model, or every problem
    as ``FILE:LINE: key: message`` (secret-looking and repeated keys first).

    ``what`` names the kind in messages (source, target, profile), ``shape`` hints at
    its keys, ``needs`` says what an empty file lacks. ``context`` goes to the model's
    validators (``base_dir`` for :func:`resolve_relative`).
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return None, [f"{path}: the file does not exist"]
    except UnicodeDecodeError:
        return None, [f"{path}: not UTF-8 text"]
    except OSError as exc:
        return None, [f"{path}: cannot be read: {exc.strerror or exc}"]
    loader = YamlLoader(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        verdict = "refused" if isinstance(exc, YamlLimitError) else "not valid YAML"
        return None, [f"{path}{line}: {verdict}: {problem}"]
    finally:
        loader.dispose()
    bad_keys = _key_problems(root)
    if bad_keys:
        return None, [f"{path}:{line}: {key}: {message}" for line, key, message in bad_keys]
    bad_values = _value_problems(root, data, loader.bad_dates)
    if bad_values:
        return None, [f"{path}:{line}: {key}: {message}" for line, key, message in bad_values]
    if data is None:
        return None, [f"{path}: the file is empty; a {what} needs at least {needs}"]
    if not isinstance(data, dict):
        return None, [f"{path}:1: a {what} must be a YAML mapping ({shape}, ...)"]
    try:
        config = model.model_validate(data, context=context)
    except ValidationError as exc:
        located = []
        for err in exc.errors():
            shown, anchor, message = _describe(err, model)
            key = ".".join(str(p) for p in shown) or "(top level)"
            located.append((key_line(root, anchor), f"{key}: {message}"))
        return None, [f"{path}:{line}: {text}" for line, text in sorted(located)]
    return config, []


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


IdentifiedT = TypeVar("IdentifiedT", bound=_Identified)


def parse_config_folder(
    folder: Path,
    parse: Callable[[Path], tuple[IdentifiedT | None, list[str]]],
    *,
    what: str,
) -> tuple[list[IdentifiedT], list[str]]:
    """Every ``*.yaml``/``*.yml`` file directly in ``folder`` (hidden files skipped), by
    file name, parsed with ``parse``: the configurations and every problem, including
    two files with the same ``id`` (``what`` names the kind: source, target)."""
    files = sorted(
        p
        for p in folder.iterdir()
        if p.suffix.lower() in (".yaml", ".yml") and not p.name.startswith(".") and p.is_file()
    )
    configs: list[IdentifiedT] = []
    problems: list[str] = []
    seen: dict[str, Path] = {}
    for path in files:
        config, found = parse(path)
        problems.extend(found)
        if config is None:
            continue
        first = seen.get(config.id)
        if first is not None:
            line = key_line_in_file(path, ["id"])
            problems.append(
                f"{path}:{line}: id: {config.id!r} is already the id of the {what} in "
                f"{first}; ids must be unique"
            )
            continue
        seen[config.id] = path
        configs.append(config)
    return configs, problems
