"""The parameters Typer builds, adjusted once per run: readable help, and flags that are bools.

Typer's help shows Python types (``<bool>`` on flags, ``<list[str]>``, ``<int range>``) and
offers no setting to change that, nor a hook in the parameters it builds. So before a run,
every parameter becomes one of the two subclasses below, which differ from Typer's only in
the type label (``TEXT``, ``INTEGER``, ``FILE``, ``a | b | c``, nothing on a flag); each
command's help option is created up front (with the application's option names) so it gets
the same treatment.

A flag that is not given is ``False`` here, not ``None``: Typer passes a non-bool value
through a pydantic TypeAdapter it builds on first use, so with ``None`` defaults on the root's
flags (``--help``, ``--install-completion``) every shell completion imported pydantic.
"""

from __future__ import annotations

from typing import get_args

from typer import Context
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

_NUMBER_LABELS: dict[object, str] = {int: "INTEGER", float: "NUMBER"}


class _ReadableOption(TyperOption):
    """An option whose help shows ``TEXT``/``INTEGER``/``FILE``/choices, and nothing on flags."""

    def display_type_rich(self, ctx: object) -> str | None:
        if self.is_flag or self.count:
            return None
        if self.metavar is not None:
            return self.metavar
        return type_label(self)


class _ReadableArgument(TyperArgument):
    """An argument whose help shows its name only (``sources...``): no Python type beside it."""

    def display_type_rich(self, ctx: object) -> str | None:
        return None


def type_label(param: TyperOption | TyperArgument) -> str:
    """What a value of ``param`` is, in the words of Click's help: TEXT, INTEGER, FILE, a|b."""
    descriptor = param.type_descriptor
    if descriptor.choices is not None:
        return " | ".join(str(getattr(choice, "value", choice)) for choice in descriptor.choices)
    if descriptor.is_path:
        return descriptor.path_type.upper()
    annotation = descriptor.annotation
    if descriptor.is_list:
        (annotation,) = get_args(annotation)
    return _NUMBER_LABELS.get(annotation, "TEXT")


def prepare_parameters(command: TyperCommand | TyperGroup, help_option_names: list[str]) -> None:
    """Readable type labels and ``False`` flag defaults for ``command`` and its subcommands."""
    context = Context(command, help_option_names=help_option_names)
    for param in command.get_params(context):  # includes the help option, now created
        if type(param) is TyperOption:
            param.__class__ = _ReadableOption
            if param.is_flag and param.default is None:
                param.default = False
        elif type(param) is TyperArgument:
            param.__class__ = _ReadableArgument
    for subcommand in getattr(command, "commands", {}).values():
        if isinstance(subcommand, TyperCommand | TyperGroup):
            prepare_parameters(subcommand, help_option_names)
