"""The parameters Typer builds, adjusted once per run: readable help, and flags that are bools.

Typer's help shows Python types (``<bool>`` on flags, ``<list[str]>``, ``<int range>``) and
offers no setting to change that, nor a hook in the parameters it builds. So before a run,
every parameter becomes one of the two subclasses below, which differ from Typer's only in
the type label (``TEXT``, ``INTEGER``, ``FILE``, ``a | b | c``, nothing on a flag; a range
is part of it, ``INTEGER>=1``, instead of Typer's ``[x>=1]``) and in the argument names
(``KEY``, ``[SOURCES]...`` in the usage line, not ``{key}``); each command's help option is
created up front (with the application's option names) so it gets the same treatment.

A value Typer rejects is reported in plain words ("must be 1 or more, got 0"), not in
pydantic's, which Typer validates with ("Input should be greater than or equal to 1").

A flag that is not given is ``False`` here, not ``None``: Typer passes a non-bool value
through a pydantic TypeAdapter it builds on first use, so with ``None`` defaults on the root's
flags (``--help``, ``--install-completion``) every shell completion imported pydantic.
"""

from __future__ import annotations

from typing import Any, get_args

from typer import BadParameter, Context
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

_NUMBER_LABELS: dict[object, str] = {int: "INTEGER", float: "NUMBER"}


def _reword(exc: BadParameter) -> None:
    """Replace pydantic's wording in ``exc`` with the plain one the loader uses."""
    from pydantic import ValidationError  # already imported: Typer raised from it

    if not isinstance(exc.__cause__, ValidationError):
        return
    from backlogctl.plain_errors import plain_message, show

    error = exc.__cause__.errors(include_url=False)[0]
    message = plain_message(error)
    if error["type"] not in ("value_error", "assertion_error"):
        message += f", got {show(error.get('input'))}"
    exc.message = message


class _ReadableOption(TyperOption):
    """An option whose help shows ``TEXT``/``INTEGER``/``FILE``/choices, and nothing on flags."""

    def process_value(self, ctx: Any, value: Any) -> Any:
        try:
            return super().process_value(ctx, value)
        except BadParameter as exc:
            _reword(exc)
            raise

    def display_type_rich(self, ctx: object) -> str | None:
        if self.is_flag or self.count:
            return None
        label = self.metavar if self.metavar is not None else type_label(self)
        return label + range_label(self.min, self.max)

    def _get_number_range_help_str(self) -> str | None:
        return None  # in the type label


class _ReadableArgument(TyperArgument):
    """An argument whose help shows its name only (``SOURCES...``): no Python type beside it."""

    @property
    def display_name_raw(self) -> str:
        return self.metavar if self.metavar is not None else (self.name or "").upper()

    def _usage_display_name(self) -> str:
        # Click's convention: KEY for a required argument, [SOURCES]... for an optional one.
        name = self.display_name_raw if self.required else f"[{self.display_name_raw}]"
        return name + ("..." if self.nargs != 1 else "")

    def _get_number_range_help_str(self) -> str | None:
        return None

    def process_value(self, ctx: Any, value: Any) -> Any:
        try:
            return super().process_value(ctx, value)
        except BadParameter as exc:
            _reword(exc)
            raise

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


def range_label(low: float | None, high: float | None) -> str:
    """A number range as the help shows it after the type: ``>=1``, ``<=9``, `` 1..9``."""
    if low is None and high is None:
        return ""
    if high is None:
        return f">={low}"
    if low is None:
        return f"<={high}"
    return f" {low}..{high}"


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
