"""Lint planning: from the configuration and the command line to which rule runs where.

select / extend-select / ignore take codes or prefixes (the most specific match wins, as in
ruff); severities and options are set per rule, and overrides change them for items of some
types or paths. Every code, option and model name is checked here, before any rule runs,
with the config file:line in the error.
"""

from __future__ import annotations

import contextlib
import difflib
import fnmatch
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from backlogctl.config import Config
from backlogctl.errors import ConfigError, InputError
from backlogctl.lint.registry import INTERNAL_ERROR
from backlogctl.lint.rule import Rule, RuleOptions
from backlogctl.lint.settings import LintOverride
from backlogctl.models import BacklogItem, Severity

#: The selection code that matches every rule.
ALL = "ALL"


@dataclass(frozen=True)
class Selection:
    """Rule selection from the command line: ``select`` replaces the config's, others extend."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()


@dataclass(frozen=True)
class Batch:
    """One rule to run on some items with some options."""

    rule: Rule
    options: RuleOptions
    items: Sequence[BacklogItem]


def known_prefix(code: str, rules: Iterable[str]) -> bool:
    """True when ``code`` is ``ALL``, a rule code or a prefix of one (``S``, ``S0``)."""
    return code == ALL or any(known.startswith(code) for known in rules)


def specificity(code: str, prefixes: Iterable[str]) -> int:
    """Length of the longest prefix matching ``code`` (``ALL`` is 0), -1 when none does."""
    return max(
        (
            0 if prefix == ALL else len(prefix)
            for prefix in prefixes
            if prefix == ALL or code.startswith(prefix)
        ),
        default=-1,
    )


def _normalize_codes(
    codes: Iterable[str], rules: dict[str, Rule], *, what: str, config: Config | None
) -> tuple[str, ...]:
    """Upper-cased codes, each checked to be a known code or prefix.

    ``config`` is None for command-line options (an ``InputError``), else the config the codes
    come from (a ``ConfigError`` pointing at ``what``, a dotted path in it).
    """
    normalized = []
    for raw in codes:
        code = raw.strip().upper()
        if not code:
            continue
        if not known_prefix(code, rules):
            close = difflib.get_close_matches(code, list(rules), n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            message = f"{what}: unknown rule code or prefix {raw!r}{hint}"
            if config is None:
                raise InputError(message)
            raise ConfigError(message, location=config.location(*what.split(".")))
        normalized.append(code)
    return tuple(normalized)


def check_codes(codes: Iterable[str], *, what: str, config: Config) -> tuple[str, ...]:
    """``codes`` from the config at dotted path ``what`` (e.g. ``jira.mark.select``),
    upper-cased; an unknown code or prefix is a ``ConfigError`` at its line."""
    from backlogctl.lint.registry import RULES

    return _normalize_codes(codes, RULES, what=what, config=config)


@dataclass(frozen=True)
class Effective:
    """What applies to one group of items: enabled codes and each rule's options."""

    enabled: frozenset[str]
    options: dict[str, RuleOptions]


@dataclass(frozen=True)
class Override:
    """A validated ``lint.overrides`` entry."""

    types: frozenset[str]
    paths: tuple[str, ...]
    ignore: tuple[str, ...]
    options: dict[str, RuleOptions]

    def matches(self, item: BacklogItem, base: Path | None) -> bool:
        """True when ``item`` has one of the types and its file one of the path patterns."""
        if self.types and item.type.lower() not in self.types:
            return False
        if not self.paths:
            return True
        file = item.source.file
        if file is None:
            return False
        candidates = {Path(file).as_posix()}
        if base is not None:
            with contextlib.suppress(ValueError):  # a file outside the config's folder
                candidates.add(Path(file).resolve().relative_to(base.resolve()).as_posix())
        return any(fnmatch.fnmatch(name, pattern) for name in candidates for pattern in self.paths)


class LintPlan:
    """The validated lint configuration: which rule runs on which items with which options.

    Raises ``ConfigError``/``InputError`` (exit 2) for unknown codes, bad options or unknown
    model names when built.
    """

    def __init__(self, config: Config, selection: Selection, rules: dict[str, Rule]) -> None:
        self.rules = rules
        self.config = config
        self.enabled = self._enabled(selection)
        self.severity = self._severities()
        settings = config.lint
        unknown = sorted(set(settings.rules) - set(rules))
        if unknown:
            raise ConfigError(
                f"lint.rules: unknown rule code {unknown[0]!r}",
                location=config.location("lint", "rules", unknown[0]),
            )
        self._raw_options = {code: dict(values) for code, values in settings.rules.items()}
        self.options = {
            code: self._options(rule, self._raw_options.get(code, {}), ("lint", "rules", code))
            for code, rule in rules.items()
        }
        self.overrides = [self._override(index, o) for index, o in enumerate(settings.overrides)]
        self._check_models()
        self._effective: dict[tuple[int, ...], Effective] = {}

    def _enabled(self, selection: Selection) -> frozenset[str]:
        settings, rules, config = self.config.lint, self.rules, self.config
        if selection.select is not None:
            select = _normalize_codes(selection.select, rules, what="--select", config=None)
        else:
            configured = settings.select if settings.select is not None else [ALL]
            select = _normalize_codes(configured, rules, what="lint.select", config=config)
        select += _normalize_codes(
            settings.extend_select, rules, what="lint.extend_select", config=config
        )
        select += _normalize_codes(
            selection.extend_select, rules, what="--extend-select", config=None
        )
        ignore = _normalize_codes(settings.ignore, rules, what="lint.ignore", config=config)
        ignore += _normalize_codes(selection.ignore, rules, what="--ignore", config=None)
        return frozenset(
            code
            for code in rules
            if code == INTERNAL_ERROR.code or specificity(code, select) > specificity(code, ignore)
        )

    def _check_models(self) -> None:
        """A rule option naming a scoring model (E003, W003) must name a known one."""
        from backlogctl.scoring.registry import available_models

        known = available_models(self.config)
        configured: list[tuple[tuple[str | int, ...], RuleOptions]] = [
            (("lint", "rules", code), options) for code, options in self.options.items()
        ]
        for index, override in enumerate(self.overrides):
            configured += [
                (("lint", "overrides", index, "rules", code), options)
                for code, options in override.options.items()
            ]
        for where, options in configured:
            model = getattr(options, "model", None)
            if isinstance(model, str) and model not in known:
                dotted = ".".join(str(key) for key in where)
                raise ConfigError(
                    f"{dotted}.model: unknown model {model!r}; available: {', '.join(known)}",
                    location=self.config.location(*where, "model"),
                )

    def _severities(self) -> dict[str, Severity]:
        configured = self.config.lint.severity
        for prefix in configured:
            _normalize_codes(
                [prefix], self.rules, what=f"lint.severity.{prefix}", config=self.config
            )
        result: dict[str, Severity] = {}
        for code, rule in self.rules.items():
            matches = [p for p in configured if code.startswith(p.upper()) or p.upper() == ALL]
            best = max(matches, key=lambda p: 0 if p.upper() == ALL else len(p), default=None)
            result[code] = configured[best] if best is not None else rule.severity
        result[INTERNAL_ERROR.code] = INTERNAL_ERROR.severity
        return result

    def _options(
        self, rule: Rule, raw: dict[str, Any], where: tuple[str | int, ...]
    ) -> RuleOptions:
        try:
            return rule.options.model_validate(raw)
        except ValidationError as exc:
            error = exc.errors()[0]
            name = ".".join(str(part) for part in error["loc"])
            keys = [*where, *(str(part) for part in error["loc"])]
            message = error["msg"]
            if error["type"] == "extra_forbidden":
                known = ", ".join(rule.options.model_fields) or "none"
                message = f"unknown option (options of {rule.code}: {known})"
            raise ConfigError(
                f"{'.'.join(str(key) for key in keys)}: {message}",
                location=self.config.location(*keys) if name else self.config.location(*where),
            ) from None

    def _override(self, index: int, override: LintOverride) -> Override:
        where = f"lint.overrides.{index}"
        ignore = _normalize_codes(
            override.ignore, self.rules, what=f"{where}.ignore", config=self.config
        )
        options: dict[str, RuleOptions] = {}
        for code, raw in override.rules.items():
            rule = self.rules.get(code)
            if rule is None:
                raise ConfigError(
                    f"{where}.rules: unknown rule code {code!r}",
                    location=self.config.location("lint", "overrides", index, "rules", code),
                )
            merged = {**self._raw_options.get(code, {}), **raw}
            options[code] = self._options(rule, merged, ("lint", "overrides", index, "rules", code))
        return Override(
            types=frozenset(name.lower() for name in override.types),
            paths=tuple(override.paths),
            ignore=ignore,
            options=options,
        )

    def _effective_for_overrides(self, signature: tuple[int, ...]) -> Effective:
        """Enabled codes and options for items matched by the overrides in ``signature``."""
        if signature not in self._effective:
            enabled = set(self.enabled)
            options = dict(self.options)
            for index in signature:
                override = self.overrides[index]
                enabled -= {
                    code
                    for code in enabled
                    if code != INTERNAL_ERROR.code and specificity(code, override.ignore) >= 0
                }
                options.update(override.options)
            self._effective[signature] = Effective(frozenset(enabled), options)
        return self._effective[signature]

    def _signature(self, item: BacklogItem) -> tuple[int, ...]:
        """Indexes of the overrides that apply to ``item``."""
        base = self.config.path.parent if self.config.path is not None else None
        return tuple(i for i, o in enumerate(self.overrides) if o.matches(item, base))

    def effective_for(self, item: BacklogItem) -> Effective:
        """What applies to one item."""
        return self._effective_for_overrides(self._signature(item) if self.overrides else ())

    def batches(self, items: Sequence[BacklogItem]) -> Iterator[Batch]:
        """The rules to run: one batch per rule, unless overrides give items other options."""
        by_signature: dict[tuple[int, ...], list[BacklogItem]] = {}
        if self.overrides:
            for item in items:
                by_signature.setdefault(self._signature(item), []).append(item)
        groups: list[tuple[Effective, Sequence[BacklogItem]]] = [
            (self._effective_for_overrides(signature), members)
            for signature, members in by_signature.items()
        ] or [(self._effective_for_overrides(()), items)]
        for code, rule in self.rules.items():
            if rule.check is None:
                continue
            # Groups with the same options for this rule are checked together: a rule that
            # compares items (duplicates, rank drift) sees all of them at once.
            by_options: dict[int, tuple[RuleOptions, list[BacklogItem]]] = {}
            for effective, members in groups:
                if code in effective.enabled:
                    options = effective.options[code]
                    by_options.setdefault(id(options), (options, []))[1].extend(members)
            for options, members in by_options.values():
                yield Batch(rule, options, members)
