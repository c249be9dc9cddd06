"""The lint engine: selects rules, runs them, stamps severities, applies suppressions.

Rules are pure functions of items; everything a user configures happens here:
select / extend-select / ignore by code or prefix (the most specific match wins, as in ruff),
per-rule severity and options, per-type and per-path overrides, per-item suppression
(``lint: {ignore: [...]}`` or a Jira label ``backlogctl-ignore-CODE``, with unused ones
reported as L001), the baseline, and isolation of a crashing rule (reported as L000).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import fnmatch
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import compress, islice
from operator import eq
from pathlib import Path
from typing import Any, Literal, NamedTuple

from pydantic import TypeAdapter, ValidationError

from backlogctl.config import Config
from backlogctl.errors import BacklogctlError, ConfigError, InputError
from backlogctl.gc_pause import gc_paused
from backlogctl.lint.baseline import Baseline, baseline_from, fingerprint
from backlogctl.lint.context import LintContext
from backlogctl.lint.registry import INTERNAL_ERROR, RULES, UNUSED_SUPPRESSION
from backlogctl.lint.rule import Rule, RuleOptions, Violation
from backlogctl.lint.settings import LintOverride
from backlogctl.models import SEVERITY_ORDER, Backlog, BacklogItem, Finding, Severity

FailOn = Literal["error", "warning", "info", "never"]

#: Fail only on errors by default: warnings and infos are advice a team adopts gradually
#: (as yamllint does); ``--fail-on warning`` makes CI strict.
DEFAULT_FAIL_ON: FailOn = "error"

#: Jira label prefix that suppresses a rule on one issue, e.g. ``backlogctl-ignore-S001``.
LABEL_PREFIX = "backlogctl-ignore-"

_ALL = "ALL"


@dataclass(frozen=True)
class Selection:
    """Rule selection from the command line: ``select`` replaces the config's, others extend."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()


class ReportedFinding(NamedTuple):
    """One finding as the engine records it: the ``Finding`` fields plus its ``subject``.

    A named tuple (not a pydantic model or frozen dataclass) because a large backlog yields
    hundreds of thousands of findings and this is the cheapest immutable record to build;
    ``LintResult.findings`` validates them into ``Finding`` models in one batch.
    """

    code: str
    severity: Severity
    key: str
    message: str
    source: str | None
    line: int | None
    url: str | None
    rule: str
    subject: str = ""

    @property
    def fingerprint(self) -> str:
        """Stable fingerprint of rule code, item key and subject (baselines, SARIF)."""
        return fingerprint(self.code, self.key, self.subject)

    def as_dict(self) -> dict[str, Any]:
        """The ``Finding`` fields."""
        return {
            "code": self.code,
            "severity": self.severity,
            "key": self.key,
            "message": self.message,
            "source": self.source,
            "line": self.line,
            "url": self.url,
            "rule": self.rule,
        }


_FINDINGS: TypeAdapter[list[Finding]] = TypeAdapter(list[Finding])


@dataclass
class LintResult:
    """What one lint run found, after suppressions and the baseline (sorted by file, line, code)."""

    entries: list[ReportedFinding]
    rules: dict[str, Rule]
    suppressed: int = 0
    baselined: int = 0

    @cached_property
    def findings(self) -> list[Finding]:
        """The findings as ``Finding`` models, in the entries' order."""
        return _FINDINGS.validate_python([entry.as_dict() for entry in self.entries])

    def summary(self) -> dict[str, int]:
        """Number of findings per severity (every severity present, even at 0)."""
        counts = {"error": 0, "warning": 0, "info": 0}
        for entry in self.entries:
            counts[entry.severity] += 1
        return counts

    def statistics(self) -> list[tuple[Rule, int]]:
        """Each rule that found something, with its number of findings, by code."""
        counts: dict[str, int] = {}
        for entry in self.entries:
            counts[entry.code] = counts.get(entry.code, 0) + 1
        return [(self.rules[code], counts[code]) for code in sorted(counts)]

    def to_baseline(self) -> Baseline:
        """A baseline accepting every finding of this run (``--write-baseline``)."""
        return baseline_from(
            (entry.code, entry.key, entry.fingerprint, entry.message) for entry in self.entries
        )

    @property
    def internal_errors(self) -> int:
        """How many rules crashed on an item (each is an L000 finding)."""
        return sum(1 for entry in self.entries if entry.code == INTERNAL_ERROR.code)

    def exit_code(self, fail_on: FailOn) -> int:
        """1 when a finding is at or above ``fail_on`` or a rule crashed, else 0."""
        if self.internal_errors:
            return 1
        if fail_on == "never":
            return 0
        floor = SEVERITY_ORDER[fail_on]
        return int(any(SEVERITY_ORDER[entry.severity] >= floor for entry in self.entries))


def lint_backlog(
    backlog: Backlog,
    config: Config,
    *,
    as_of: dt.datetime,
    selection: Selection | None = None,
    baseline: Baseline | None = None,
    rules: dict[str, Rule] | None = None,
) -> LintResult:
    """Run the selected rules on ``backlog`` as of ``as_of``.

    Raises ``ConfigError``/``InputError`` (exit 2) for unknown codes, bad options or a bad
    selection before any rule runs.
    """
    table = RULES if rules is None else rules
    plan = _Plan(config, selection or Selection(), table)
    with gc_paused():
        by_key, suppressions = index_items(backlog.items)
        context = LintContext(
            as_of=as_of,
            config=config,
            items=backlog.items,
            objectives=backlog.objectives,
            by_key=by_key,
        )
        run = _Run(plan, baseline, suppressions, _Places(table))
        sliced: list[tuple[Rule, RuleOptions, Sequence[BacklogItem]]] = []
        whole: list[tuple[Rule, RuleOptions, Sequence[BacklogItem]]] = []
        for batch in plan.batches(backlog.items):
            (sliced if batch[0].per_item else whole).append(batch)
        # Every per-item rule on one slice, then the next slice: one rule's pass over 100k
        # items misses the CPU cache on nearly every item (each item's fields are a dict of
        # 1-2 KB), while a slice stays cached across all of them (-30% on 100k items).
        longest = max((len(items) for _, _, items in sliced), default=0)
        for start in range(0, longest, _SLICE):
            for rule, options, items in sliced:
                part = items[start : start + _SLICE]
                if part:
                    run.add(rule, *_check_isolated(rule, part, context, options))
        for rule, options, items in whole:
            run.add(rule, *_check_isolated(rule, items, context, options))
        run.report_unused_suppressions(context.by_key)
        entries = run.sorted_entries()
    return LintResult(entries, table, suppressed=run.suppressed, baselined=run.baselined)


#: Items per slice for the per-item rules: a slice's items fit in the CPU cache.
_SLICE = 256


#: What a finding copies from its item (key, file, line, URL) and the item's place (``_Places``).
_Located = tuple[str, str | None, int | None, str | None, int]


class _Places:
    """Where each finding goes in the report, as one integer; each item's fields, read once.

    Findings are reported by file (or URL), line, code, key and message. Sorting 400k tuples
    of those took a second on 100k items; integers sort 10x faster. A finding's integer is
    ``file rank * block + line * number of codes + code rank``, files ranked as they first
    appear (put in name order before sorting, in the rare case they appear out of order);
    only findings sharing an integer (an item breaking one rule in several ways) are then
    compared by key and message.

    An item's fields are read on its first finding, usually while the item is in the CPU
    cache, and kept by ``id``: later findings on it (from the whole-backlog rules, in another
    order) would each miss the cache several times reading them again.
    """

    def __init__(self, rules: Iterable[str]) -> None:
        codes = sorted({*rules, INTERNAL_ERROR.code, UNUSED_SUPPRESSION.code})
        self.code_rank = {code: rank for rank, code in enumerate(codes)}
        self._spacing = len(codes)
        self.block = _LINE_LIMIT * len(codes)
        self._files: dict[str, int] = {}
        self.of: dict[int, _Located] = {}
        self._items: list[BacklogItem] = []  # alive, so that no id is reused during the run
        #: False once a line does not fit in the integer (then findings sort by tuples).
        self.exact = True

    def locate(self, item: BacklogItem) -> _Located:
        """``item``'s fields and place, read and kept on its first finding."""
        source = item.source
        file, line, url = source.file, source.line, source.url
        files = self._files
        rank = files.setdefault(file or url or "", len(files))
        if line is not None and not 0 <= line < _LINE_LIMIT:
            self.exact = False
        place = rank * self.block + (line or 0) * self._spacing
        located = self.of[id(item)] = (item.key, file, line, url, place)
        self._items.append(item)
        return located

    def in_name_order(self, order: list[int]) -> list[int]:
        """``order`` with files ranked by name (unchanged when they appeared in that order)."""
        first_seen = list(self._files)  # a dict keeps insertion order: the ranks' order
        if first_seen == sorted(first_seen):
            return order
        by_name = sorted(range(len(first_seen)), key=first_seen.__getitem__)
        rank = {first: named for named, first in enumerate(by_name)}
        block = self.block
        return [rank[key // block] * block + key % block for key in order]


#: Lines below this fit in the integer sort keys (a file over 512 MB is refused on load).
_LINE_LIMIT = 1 << 32


def _sort_key(entry: ReportedFinding) -> tuple[str, int, str, str, str]:
    """The report order: file (or URL), line, code, key, message."""
    return (entry.source or entry.url or "", entry.line or 0, entry.code, entry.key, entry.message)


def _by_key_and_message(entry: ReportedFinding) -> tuple[str, str]:
    return entry.key, entry.message


def known_prefix(code: str, rules: Iterable[str]) -> bool:
    """True when ``code`` is ``ALL``, a rule code or a prefix of one (``S``, ``S0``)."""
    return code == _ALL or any(known.startswith(code) for known in rules)


def _specificity(code: str, prefixes: Iterable[str]) -> int:
    """Length of the longest prefix matching ``code`` (``ALL`` is 0), -1 when none does."""
    return max(
        (
            0 if prefix == _ALL else len(prefix)
            for prefix in prefixes
            if prefix == _ALL or code.startswith(prefix)
        ),
        default=-1,
    )


def _normalize_codes(
    codes: Iterable[str], rules: dict[str, Rule], *, what: str, config: Config | None
) -> tuple[str, ...]:
    """Upper-cased codes, each checked to be a known code or prefix."""
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


@dataclass
class _Effective:
    """What applies to one group of items: enabled codes and each rule's options."""

    enabled: frozenset[str]
    options: dict[str, RuleOptions]


@dataclass
class _Override:
    types: frozenset[str]
    paths: tuple[str, ...]
    ignore: tuple[str, ...]
    options: dict[str, RuleOptions]

    def matches(self, item: BacklogItem, base: Path | None) -> bool:
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


class _Plan:
    """The validated lint configuration: which rule runs on which items with which options."""

    def __init__(self, config: Config, selection: Selection, rules: dict[str, Rule]) -> None:
        settings = config.lint
        self.rules = rules
        self.config = config
        select = (
            _normalize_codes(selection.select, rules, what="--select", config=None)
            if selection.select is not None
            else _normalize_codes(
                settings.select if settings.select is not None else [_ALL],
                rules,
                what="lint.select",
                config=config,
            )
        )
        select += _normalize_codes(
            settings.extend_select, rules, what="lint.extend_select", config=config
        )
        select += _normalize_codes(
            selection.extend_select, rules, what="--extend-select", config=None
        )
        ignore = _normalize_codes(settings.ignore, rules, what="lint.ignore", config=config)
        ignore += _normalize_codes(selection.ignore, rules, what="--ignore", config=None)
        self.enabled = frozenset(
            code
            for code in rules
            if code == INTERNAL_ERROR.code
            or _specificity(code, select) > _specificity(code, ignore)
        )
        self.severity = self._severities()
        unknown = sorted(set(settings.rules) - set(rules))
        if unknown:
            raise ConfigError(
                f"lint.rules: unknown rule code {unknown[0]!r}",
                location=config.location("lint", "rules", unknown[0]),
            )
        self.raw_options = {code: dict(values) for code, values in settings.rules.items()}
        self.options = {
            code: self._options(rule, self.raw_options.get(code, {}), ("lint", "rules", code))
            for code, rule in rules.items()
        }
        self.overrides = [self._override(index, o) for index, o in enumerate(settings.overrides)]
        self._check_models()
        self._effective: dict[tuple[int, ...], _Effective] = {}

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
            matches = [p for p in configured if code.startswith(p.upper()) or p.upper() == _ALL]
            best = max(matches, key=lambda p: 0 if p.upper() == _ALL else len(p), default=None)
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

    def _override(self, index: int, override: LintOverride) -> _Override:
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
            merged = {**self.raw_options.get(code, {}), **raw}
            options[code] = self._options(rule, merged, ("lint", "overrides", index, "rules", code))
        return _Override(
            types=frozenset(name.lower() for name in override.types),
            paths=tuple(override.paths),
            ignore=ignore,
            options=options,
        )

    def effective(self, signature: tuple[int, ...]) -> _Effective:
        """Enabled codes and options for items matched by the overrides in ``signature``."""
        if signature not in self._effective:
            enabled = set(self.enabled)
            options = dict(self.options)
            for index in signature:
                override = self.overrides[index]
                enabled -= {
                    code
                    for code in enabled
                    if code != INTERNAL_ERROR.code and _specificity(code, override.ignore) >= 0
                }
                options.update(override.options)
            self._effective[signature] = _Effective(frozenset(enabled), options)
        return self._effective[signature]

    def signature(self, item: BacklogItem) -> tuple[int, ...]:
        """Indexes of the overrides that apply to ``item``."""
        base = self.config.path.parent if self.config.path is not None else None
        return tuple(i for i, o in enumerate(self.overrides) if o.matches(item, base))

    def effective_for(self, item: BacklogItem) -> _Effective:
        """What applies to one item."""
        return self.effective(self.signature(item) if self.overrides else ())

    def batches(
        self, items: Sequence[BacklogItem]
    ) -> Iterable[tuple[Rule, RuleOptions, Sequence[BacklogItem]]]:
        """(rule, options, items) to check: one batch per rule unless overrides split items."""
        if not self.overrides:
            groups: list[tuple[_Effective, Sequence[BacklogItem]]] = [(self.effective(()), items)]
        else:
            by_signature: dict[tuple[int, ...], list[BacklogItem]] = {}
            for item in items:
                by_signature.setdefault(self.signature(item), []).append(item)
            groups = [(self.effective(sig), members) for sig, members in by_signature.items()]
        for code, rule in self.rules.items():
            if rule.check is None:
                continue
            by_options: dict[int, tuple[RuleOptions, list[BacklogItem]]] = {}
            for effective, members in groups:
                if code not in effective.enabled:
                    continue
                if len(groups) == 1:
                    yield rule, effective.options[code], members
                    continue
                options = effective.options[code]
                by_options.setdefault(id(options), (options, []))[1].extend(members)
            for options, members in by_options.values():
                yield rule, options, members


def _check_isolated(
    rule: Rule, items: Sequence[BacklogItem], context: LintContext, options: RuleOptions
) -> tuple[list[Violation], list[Violation]]:
    """The rule's violations, and internal errors for the items it crashed on."""
    assert rule.check is not None  # batches() only yields rules that have a check
    try:
        return list(rule.check(items, context, options)), []
    except BacklogctlError:
        raise
    except Exception as first:  # a crashing rule must not hide the other rules' findings
        violations: list[Violation] = []
        crashes: list[Violation] = []
        for item in items:
            try:
                violations.extend(rule.check([item], context, options))
            except BacklogctlError:
                raise
            except Exception as exc:
                crashes.append(_crash(rule, item, exc))
        if not crashes and items:
            crashes.append(_crash(rule, items[0], first))
        return violations, crashes


def _crash(rule: Rule, item: BacklogItem, exc: Exception) -> Violation:
    return Violation(
        item,
        f"rule {rule.code} ({rule.name}) failed on {item.key}: {type(exc).__name__}: {exc}",
        subject=rule.code,
    )


def index_items(
    items: Sequence[BacklogItem],
) -> tuple[dict[str, BacklogItem], dict[str, tuple[str, ...]]]:
    """Every item by key, and the codes each item suppresses (``lint.ignore`` and
    ``backlogctl-ignore-`` labels) by key.

    One pass for both: a pass over 100k items misses the CPU cache on nearly every item.
    Only items that suppress something are listed, so the common case costs one lookup.
    """
    by_key: dict[str, BacklogItem] = {}
    suppressions: dict[str, tuple[str, ...]] = {}
    size = len(LABEL_PREFIX)
    for item in items:
        key, lint, labels = item.key, item.lint, item.labels
        by_key[key] = item
        # One substring test per item: most items have labels, almost none suppress anything.
        if lint is None and not (labels and LABEL_PREFIX in "\0".join(labels).lower()):
            continue
        codes = list(lint.ignore) if lint is not None else []
        for label in labels:
            if label[:size].lower() == LABEL_PREFIX:
                codes.append(label[size:])
        cleaned = tuple(code.strip().upper() for code in codes if code.strip())
        if cleaned:
            suppressions[key] = cleaned
    return by_key, suppressions


@dataclass
class _Run:
    """Accumulates findings while applying suppressions and the baseline."""

    plan: _Plan
    baseline: Baseline | None
    suppressions: dict[str, tuple[str, ...]]
    places: _Places
    entries: list[ReportedFinding] = field(default_factory=list)
    suppressed: int = 0
    baselined: int = 0
    _used: set[tuple[str, str]] = field(default_factory=set)
    #: Each entry's integer sort key (``_Places``), in the entries' order.
    _order: list[int] = field(default_factory=list)

    def add(self, rule: Rule, violations: list[Violation], crashes: list[Violation]) -> None:
        """Record a rule's violations (suppressed, baselined or reported) and its crashes."""
        # One pass with everything hoisted: this loop runs once per finding (400k on the
        # 100k-item benchmark backlog).
        code, name, severity = rule.code, rule.name, self.plan.severity[rule.code]
        suppressions, baseline, used = self.suppressions, self.baseline, self._used
        # tuple.__new__ builds the record in C; both the class call and ``_make`` go
        # through a Python-level function first.
        append, new, record = self.entries.append, tuple.__new__, ReportedFinding
        located_of, locate = self.places.of.get, self.places.locate
        code_rank, order = self.places.code_rank[code], self._order
        for item, message, subject in violations:
            key, file, line, url, place = located_of(id(item)) or locate(item)
            if suppressions and key in suppressions:
                matched = [s for s in suppressions[key] if code.startswith(s)]
                if matched:
                    used.update((key, suppressed) for suppressed in matched)
                    self.suppressed += 1
                    continue
            if baseline is not None and baseline.contains(
                code, key, fingerprint(code, key, subject)
            ):
                self.baselined += 1
                continue
            order.append(place + code_rank)
            append(new(record, (code, severity, key, message, file, line, url, name, subject)))
        for crash in crashes:
            self._report(INTERNAL_ERROR, crash)

    def report_unused_suppressions(self, by_key: dict[str, BacklogItem]) -> None:
        """L001 for each suppression that matched nothing (or names no rule)."""
        for key, codes in self.suppressions.items():
            item = by_key[key]
            enabled = self.plan.effective_for(item).enabled
            problems: list[tuple[str, str]] = []
            for code in codes:
                if not known_prefix(code, self.plan.rules) or code == _ALL:
                    problems.append((code, f"suppression names unknown rule code {code!r}"))
                elif (item.key, code) in self._used or UNUSED_SUPPRESSION.code.startswith(code):
                    continue
                elif any(rule.startswith(code) for rule in enabled):
                    problems.append((code, f"suppression of {code} matches no finding: remove it"))
            if not problems or UNUSED_SUPPRESSION.code not in enabled:
                continue
            if any(UNUSED_SUPPRESSION.code.startswith(code) for code in codes):
                self.suppressed += len(problems)
                continue
            for code, message in problems:
                self._report(UNUSED_SUPPRESSION, Violation(item, message, subject=code))

    def _report(self, rule: Rule, violation: Violation) -> None:
        """Record an engine finding (L000, L001): never suppressed nor baselined."""
        item = violation.item
        key, file, line, url, place = self.places.of.get(id(item)) or self.places.locate(item)
        self._order.append(place + self.places.code_rank[rule.code])
        self.entries.append(
            ReportedFinding(
                rule.code,
                self.plan.severity[rule.code],
                key,
                violation.message,
                file,
                line,
                url,
                rule.name,
                violation.subject,
            )
        )

    def sorted_entries(self) -> list[ReportedFinding]:
        """The entries by file, line, code, key and message."""
        entries = self.entries
        if not self.places.exact:
            return sorted(entries, key=_sort_key)
        order = self.places.in_name_order(self._order)
        ranked = sorted(range(len(entries)), key=order.__getitem__)
        keys = [order[index] for index in ranked]
        # Positions whose key equals the previous one's, found in C: usually very few.
        tied = compress(range(1, len(keys)), map(eq, islice(keys, 1, None), keys))
        end = 0
        for position in tied:
            if position <= end:
                continue  # within the run just sorted
            start, end = position - 1, position
            while end + 1 < len(keys) and keys[end + 1] == keys[start]:
                end += 1
            ranked[start : end + 1] = sorted(
                ranked[start : end + 1], key=lambda index: _by_key_and_message(entries[index])
            )
        return [entries[index] for index in ranked]
