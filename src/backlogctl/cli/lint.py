"""The ``lint`` command (backlog hygiene findings for humans and CI) and ``rules`` (their docs).

``--fail-on`` defaults to ``error`` (config ``lint.fail_on`` can change it): warnings and
infos are advice a team adopts at its own pace; ``--fail-on warning`` makes a pipeline strict.
``--format`` defaults to ``github`` when ``GITHUB_ACTIONS=true``, else ``text``.
"""

import os
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from backlogctl.cli.common import (
    AsOfOpt,
    ConfigOpt,
    JqlOpt,
    OutputOpt,
    SourcesArg,
    color_enabled,
    emit,
    load_items,
    load_settings,
    parse_as_of,
    stdout_is_terminal,
)
from backlogctl.cli.completion import complete_rule_code, complete_rule_codes
from backlogctl.errors import InputError

if TYPE_CHECKING:
    from backlogctl.lint.result import LintResult


class LintFormat(StrEnum):
    """Output formats of ``lint``."""

    text = "text"
    json = "json"
    github = "github"
    junit = "junit"
    sarif = "sarif"


class FailOn(StrEnum):
    """Lowest severity that makes ``lint`` exit 1 (``never``: only internal errors do)."""

    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


CodesOpt = list[str] | None


def _codes(values: CodesOpt) -> tuple[str, ...]:
    """Codes from repeated and/or comma-separated option values."""
    return tuple(code for value in values or () for code in value.split(",") if code.strip())


def _default_format() -> LintFormat:
    if os.environ.get("GITHUB_ACTIONS", "").lower() == "true":
        return LintFormat.github
    return LintFormat.text


def _render(
    result: "LintResult", format_: LintFormat, *, statistics: bool, quiet: bool, color: bool
) -> str:
    from backlogctl.output.lint_github import render_lint_github
    from backlogctl.output.lint_json import render_lint_json
    from backlogctl.output.lint_junit import render_lint_junit
    from backlogctl.output.lint_sarif import render_lint_sarif
    from backlogctl.output.lint_text import render_lint_text

    if format_ is LintFormat.text:
        return render_lint_text(result, statistics=statistics, quiet=quiet, color=color)
    if format_ is LintFormat.json:
        return render_lint_json(result, statistics=statistics)
    renderers = {
        LintFormat.github: render_lint_github,
        LintFormat.junit: render_lint_junit,
        LintFormat.sarif: render_lint_sarif,
    }
    return renderers[format_](result)


def lint(
    sources: SourcesArg = None,
    select: Annotated[
        CodesOpt,
        typer.Option(
            "--select",
            help="Only these rule codes or prefixes (comma-separated or repeated; replaces "
            "the config's select). ALL selects every rule.",
            metavar="CODES",
            autocompletion=complete_rule_codes,
        ),
    ] = None,
    ignore: Annotated[
        CodesOpt,
        typer.Option(
            "--ignore",
            help="Also ignore these codes or prefixes.",
            metavar="CODES",
            autocompletion=complete_rule_codes,
        ),
    ] = None,
    extend_select: Annotated[
        CodesOpt,
        typer.Option(
            "--extend-select",
            help="Add these codes or prefixes to the selection.",
            metavar="CODES",
            autocompletion=complete_rule_codes,
        ),
    ] = None,
    fail_on: Annotated[
        FailOn | None,
        typer.Option(
            "--fail-on",
            help="Exit 1 when a finding has this severity or higher. Default: config's "
            "lint.fail_on, else error.",
            case_sensitive=False,
            show_default=False,
        ),
    ] = None,
    as_of: AsOfOpt = None,
    format_: Annotated[
        LintFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="Output format. Default: github when GITHUB_ACTIONS=true, else text.",
            case_sensitive=False,
            show_default=False,
        ),
    ] = None,
    output: OutputOpt = None,
    statistics: Annotated[
        bool,
        typer.Option(
            "--statistics",
            help="Count findings per rule (text: instead of the findings; json: an extra "
            "key; other formats: on stderr).",
        ),
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print findings only: no summary, no notes.")
    ] = False,
    baseline: Annotated[
        Path | None,
        typer.Option(
            "--baseline", help="Report only findings not in this baseline file.", dir_okay=False
        ),
    ] = None,
    write_baseline: Annotated[
        Path | None,
        typer.Option(
            "--write-baseline",
            help="Record every current finding (L001 too, not L000) in this baseline file, "
            "then exit 0. Replaces an earlier baseline; any other existing file only with "
            "--force.",
            dir_okay=False,
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Let --write-baseline replace a file that is not a baseline."),
    ] = False,
    config: ConfigOpt = None,
    jql: JqlOpt = None,
) -> None:
    """Check the backlog against hygiene rules (see 'backlogctl rules').

    Exit codes:
    0 clean, or nothing at or above --fail-on;
    1 findings at or above --fail-on, or a rule crashed;
    2 usage, config or input error;
    3 source error.
    """
    from backlogctl.lint.baseline import check_replaceable, read_baseline, render_baseline
    from backlogctl.lint.engine import DEFAULT_FAIL_ON, Selection, lint_backlog
    from backlogctl.output.lint_text import render_lint_text

    settings = load_settings(config)
    selection = Selection(
        select=_codes(select) if select is not None else None,
        extend_select=_codes(extend_select),
        ignore=_codes(ignore),
    )
    when = parse_as_of(as_of)
    if write_baseline is not None and not force:
        check_replaceable(write_baseline)
    accepted = read_baseline(baseline) if baseline is not None and write_baseline is None else None
    backlog = load_items(sources, settings, jql, progress=not quiet)
    result = lint_backlog(backlog, settings, as_of=when, selection=selection, baseline=accepted)
    if write_baseline is not None:
        recorded = result.to_baseline()
        emit(render_baseline(recorded), write_baseline)
        if not quiet:
            typer.echo(
                f"backlogctl: wrote {len(recorded.entries)} findings to {write_baseline}", err=True
            )
        return
    chosen = format_ or _default_format()
    terminal = output is None and stdout_is_terminal()
    emit(
        _render(
            result, chosen, statistics=statistics, quiet=quiet, color=terminal and color_enabled()
        ),
        output,
    )
    if statistics and chosen not in (LintFormat.text, LintFormat.json):
        typer.echo(render_lint_text(result, statistics=True, quiet=quiet), err=True, nl=False)
    if result.internal_errors and not quiet:
        typer.echo(
            f"backlogctl: error: {result.internal_errors} rule failure(s) (L000): "
            "other findings are complete; please report it",
            err=True,
        )
    threshold = fail_on.value if fail_on is not None else settings.lint.fail_on or DEFAULT_FAIL_ON
    raise typer.Exit(result.exit_code(threshold))


def rules(
    code: Annotated[
        str | None,
        typer.Argument(
            help="A rule code or name (e.g. S001 or stale) to show in full, or a prefix (S).",
            autocompletion=complete_rule_code,
        ),
    ] = None,
) -> None:
    """List the lint rules, or show one rule's documentation and options.

    A prefix such as S or E00 (as --select takes) lists that family.
    """
    from backlogctl.lint.registry import RULES, find_rule, rules_with_prefix, similar_rules
    from backlogctl.output.lint_rules import render_rule_doc, render_rule_list

    if code is None:
        emit(render_rule_list(RULES.values()))
        return
    rule = find_rule(code)
    if rule is not None:
        emit(render_rule_doc(rule))
        return
    family = rules_with_prefix(code)
    if family:
        emit(render_rule_list(family))
        return
    close = similar_rules(code)
    hint = f"; did you mean {', '.join(close)}?" if close else ":"
    raise InputError(f"unknown rule {code!r}{hint} 'backlogctl rules' lists them")


LINT_EXAMPLES = """Examples:

$ backlogctl lint --fail-on warning

$ backlogctl lint backlog/ --select S,D --ignore D002 --format github

$ backlogctl lint --baseline .backlogctl-baseline.json --fail-on warning"""

RULES_EXAMPLES = """Examples:

$ backlogctl rules

$ backlogctl rules S001

$ backlogctl rules H"""


def register(app: typer.Typer) -> None:
    """Add ``lint`` and ``rules`` to ``app``."""
    app.command("lint", epilog=LINT_EXAMPLES)(lint)
    app.command("rules", epilog=RULES_EXAMPLES)(rules)
