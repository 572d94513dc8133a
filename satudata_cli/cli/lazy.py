"""Commands loaded when they run, so ``satudata --version`` and ``--help`` stay fast.

The root group names each command by module and attribute (:class:`LazyCommand`)
and imports that module only when the command is invoked. ``satudata --help`` lists
the commands from the summaries kept beside those names, so printing the list imports
no command module (and none of the catalogue, report, RDF or HTTP code they need).
``tests/cli/test_startup.py`` checks both: the import boundary, and that each summary
is the first paragraph of its command's own help.

Anything that walks ``group.commands`` (the tests, the docs checks) gets the real
commands: reading a command from the mapping loads it.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping, MutableMapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import typer
import typer.main
from typer.core import TyperCommand, TyperGroup

if TYPE_CHECKING:
    from typer._click import Command, Context


@dataclass(frozen=True, slots=True)
class LazyCommand:
    """A command (a function) or a group of commands (a ``typer.Typer``) by name.

    ``summary`` is what ``satudata --help`` shows beside the name: the first paragraph
    of the command's help.
    """

    module: str
    attribute: str
    summary: str
    #: the command's help (a function's; a group has its own), else its docstring
    help: str | None = None

    def load(self, name: str) -> Command:
        target = getattr(importlib.import_module(self.module), self.attribute)
        if isinstance(target, typer.Typer):
            command: Command = typer.main.get_group(target)
        else:
            single = typer.Typer()
            single.command(name, help=self.help)(target)
            command = typer.main.get_command(single)
        command.name = name
        return command

    def placeholder(self, name: str) -> Command:
        """What the list of commands shows: the name and the summary, nothing loaded."""
        return TyperCommand(name=name, help=self.summary)


class LazyCommands(MutableMapping[str, "Command"]):
    """The root group's commands: loaded the first time one is read."""

    def __init__(self, loaded: Mapping[str, Command], lazy: Mapping[str, LazyCommand]) -> None:
        self._lazy = dict(lazy)
        self._loaded: dict[str, Command] = dict(loaded)
        self._order = [*self._lazy, *(n for n in self._loaded if n not in self._lazy)]

    def peek(self, name: str) -> Command | None:
        """The command if it is loaded, else its placeholder; never imports."""
        if name in self._loaded:
            return self._loaded[name]
        spec = self._lazy.get(name)
        return None if spec is None else spec.placeholder(name)

    def __getitem__(self, name: str) -> Command:
        if name not in self._loaded:
            self._loaded[name] = self._lazy[name].load(name)  # KeyError when unknown
        return self._loaded[name]

    def __setitem__(self, name: str, command: Command) -> None:
        if name not in self._order:
            self._order.append(name)
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        if name not in self._order:
            raise KeyError(name)
        self._order.remove(name)
        self._loaded.pop(name, None)
        self._lazy.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._order))

    def __len__(self) -> int:
        return len(self._order)

    def __contains__(self, name: object) -> bool:
        return name in self._order


class LazyGroup(TyperGroup):
    """A typer group whose commands come from :attr:`lazy_commands` (set by a subclass)."""

    lazy_commands: Mapping[str, LazyCommand] = {}

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = LazyCommands(self.commands, self.lazy_commands)

    def _lazy(self) -> LazyCommands:
        assert isinstance(self.commands, LazyCommands)
        return self.commands

    def list_commands(self, ctx: Context) -> list[str]:
        return list(self.commands)  # the names; typer's own reads every command

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        # the list of commands in --help and shell completion of command names
        return self._lazy().peek(cmd_name)

    def resolve_command(
        self, ctx: Context, args: list[str]
    ) -> tuple[str | None, Command | None, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        if name is not None and command is not None:
            self.commands[name]  # running it: load the real command, then look it up
            command = self.get_command(ctx, name)  # again, for a subclass's get_command
        return name, command, rest
