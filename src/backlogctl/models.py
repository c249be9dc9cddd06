"""The data model shared by connectors, scoring, lint and renderers (see docs/architecture.md).

``BacklogItem`` is what every connector yields; ``ScoredItem``/``UnscoredItem`` are what
ranking produces; ``Finding`` is what lint produces. JSON output is ``model_dump(mode="json")``
of these models, so field names here are part of the public contract.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    PrivateAttr,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from backlogctl.sanitize import has_control

StatusCategory = Literal["todo", "in_progress", "done"]
Severity = Literal["error", "warning", "info"]

SEVERITY_ORDER: dict[str, int] = {"info": 0, "warning": 1, "error": 2}


class SourceLocation(BaseModel):
    """Where an item came from: a file and line (YAML) or an issue URL (Jira)."""

    model_config = ConfigDict(frozen=True)

    file: str | None = None
    line: int | None = None
    url: str | None = None

    def __str__(self) -> str:
        if self.url:
            return self.url
        if self.file and self.line:
            return f"{self.file}:{self.line}"
        return self.file or "<unknown>"


_DATE_EXPECTED = "must be a date like 2026-01-31 or a date-time"


def _as_aware_datetime(value: Any) -> Any:
    """Dates become 00:00 UTC; naive datetimes are taken as UTC; numbers are refused.

    Pydantic would read ``created: 2024`` as a Unix timestamp (1970-01-01T00:33:44):
    in a backlog file that is always a typo, never a timestamp.
    """
    if isinstance(value, str):
        try:
            return _parse_date_text(value)
        except ValueError:
            raise ValueError(_DATE_EXPECTED) from None
    if isinstance(value, int | float):
        raise ValueError(_DATE_EXPECTED)
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    return value


def _parse_date_text(value: str) -> dt.datetime:
    """``2026-01-31`` as 00:00 UTC, an ISO 8601 date-time as aware (naive taken as UTC)."""
    text = value.strip()
    if len(text) == 10:
        day = dt.date.fromisoformat(text)
        return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


class _Inputs(BaseModel):
    """Base of the per-model input groups: every input is optional (missing => unscored)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class RiceInputs(_Inputs):
    """Intercom RICE inputs. Confidence is normalized to 0..1 (a value above 1 is a percentage)."""

    reach: float | None = None
    impact: float | None = None
    confidence: float | None = None
    effort: float | None = None

    @field_validator("confidence")
    @classmethod
    def _percent_to_fraction(cls, value: float | None) -> float | None:
        if value is not None and value > 1:
            return value / 100.0
        return value


class WsjfInputs(_Inputs):
    """SAFe WSJF inputs on the modified Fibonacci scale (1, 2, 3, 5, 8, 13, 20)."""

    business_value: float | None = None
    time_criticality: float | None = None
    risk_reduction: float | None = None
    job_size: float | None = None


class IceInputs(_Inputs):
    """ICE inputs, each on a 1..10 scale."""

    impact: float | None = None
    confidence: float | None = None
    ease: float | None = None


class LintSuppression(BaseModel):
    """Per-item lint suppression: ``lint: {ignore: [S001], reason: "..."}``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ignore: list[str] = Field(default_factory=list)
    reason: str | None = None


class BacklogItem(BaseModel):
    """One backlog item, as every connector yields it (validated, normalized)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    key: str = Field(min_length=1)
    title: str = Field(min_length=1)
    type: str = "story"
    status: str = "To Do"
    status_category: StatusCategory = "todo"
    priority: str | None = None
    description: str | None = None
    acceptance_criteria: list[str] | None = None
    labels: list[str] = Field(default_factory=list)
    components: list[str] = Field(default_factory=list)
    stakeholders: list[str] = Field(default_factory=list)
    assignee: str | None = None
    reporter: str | None = None
    parent: str | None = None
    objective: str | None = None
    #: Keys of the items this one waits for (Jira: "is blocked by" links), in the order
    #: written, each once. A container (an item with children) stands for its open children.
    depends_on: list[Annotated[str, Field(min_length=1)]] = Field(default_factory=list)
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    status_changed: dt.datetime | None = None
    due: dt.datetime | None = None
    blocked_since: dt.datetime | None = None
    resolved: dt.datetime | None = None
    estimate: float | None = Field(default=None, ge=0)
    rank: int | None = Field(default=None, ge=0)
    rice: RiceInputs | None = None
    wsjf: WsjfInputs | None = None
    ice: IceInputs | None = None
    fields: dict[str, float | str] = Field(default_factory=dict)
    lint: LintSuppression | None = None
    source: SourceLocation = Field(default_factory=SourceLocation)

    @field_validator(
        "created", "updated", "status_changed", "due", "blocked_since", "resolved", mode="before"
    )
    @classmethod
    def _aware(cls, value: Any) -> Any:
        return _as_aware_datetime(value)

    @field_validator("acceptance_criteria", mode="before")
    @classmethod
    def _criteria_list(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [line for line in (part.strip() for part in value.splitlines()) if line]
        return value

    @field_validator("labels", "components", "stakeholders", mode="before")
    @classmethod
    def _string_list(cls, value: Any) -> Any:
        if value is None:
            return []
        if isinstance(value, str):
            return [value]
        return value

    @field_validator("depends_on", mode="before")
    @classmethod
    def _key_list(cls, value: Any) -> Any:
        if value is None:
            return []
        if isinstance(value, str):
            return [value]
        if isinstance(value, list) and len(value) > 1:
            # A key written twice is the same dependency: keep the first.
            return list(dict.fromkeys(value)) if all(isinstance(v, str) for v in value) else value
        return value

    @property
    def is_done(self) -> bool:
        """True when the item's status category is ``done``."""
        return self.status_category == "done"


Level = Literal["high", "medium", "low"]
#: A level in the config's JSON Schema: the loader folds case and strips, so "High" is valid.
_LEVEL = r"^\s*([Hh][Ii][Gg][Hh]|[Mm][Ee][Dd][Ii][Uu][Mm]|[Ll][Oo][Ww])\s*$"
_LEVEL_SCHEMA: JsonSchemaValue = {
    "anyOf": [{"type": "string", "pattern": _LEVEL}, {"type": "null"}]
}


class Objective(BaseModel):
    """An objective or key result (OKR) that items link to via ``objective``.

    A key result (``parent`` names its objective) may carry a measurable target (``start``,
    ``target``, ``current``: rising or falling) or a threshold to hold (``keep_below`` or
    ``keep_above`` with ``current``). All optional; other keys are kept as written.
    """

    model_config = ConfigDict(extra="allow", frozen=True, allow_inf_nan=False)

    key: str
    title: str = ""
    parent: str | None = None
    metric: str | None = None
    unit: str | None = None
    start: float | None = None
    target: float | None = None
    current: float | None = None
    due: dt.datetime | None = None
    owner: str | None = None
    keep_below: float | None = None
    keep_above: float | None = None
    #: Where it was declared (a backlog file's line or the config), for error messages; not a
    #: field, so neither a backlog nor the config's JSON Schema offers it.
    _source: str | None = PrivateAttr(default=None)

    @field_validator("due", mode="before")
    @classmethod
    def _aware(cls, value: Any) -> Any:
        return _as_aware_datetime(value)

    @property
    def source(self) -> str | None:
        """``file:line`` (or the config's location) of the declaration, when known."""
        return self._source

    def located(self, source: str | None) -> Objective:
        """A copy that remembers where it was declared."""
        copy = self.model_copy()
        copy._source = source
        return copy

    @model_validator(mode="after")
    def _consistent_target(self) -> Objective:
        if self.keep_below is not None and self.keep_above is not None:
            raise ValueError("set keep_below or keep_above, not both")
        threshold = self.keep_below is not None or self.keep_above is not None
        if threshold and (self.target is not None or self.start is not None):
            raise ValueError(
                "a key result has a target (start, target) or a threshold "
                "(keep_below or keep_above), not both"
            )
        if self.target is not None and self.start is not None and self.target == self.start:
            raise ValueError(
                f"target equals start ({self.start:g}): progress toward it cannot be measured"
            )
        return self

    @property
    def threshold(self) -> tuple[Literal["below", "above"], float] | None:
        """``("below", 1.5)`` for ``keep_below: 1.5``, ``("above", x)``, else None."""
        if self.keep_below is not None:
            return "below", self.keep_below
        if self.keep_above is not None:
            return "above", self.keep_above
        return None


class Stakeholder(BaseModel):
    """A declared stakeholder: a plain name, or ``{name, contact, influence, interest}``.

    Names match case-insensitively; influence and interest are ``high``, ``medium`` or
    ``low`` (any case), or unknown.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    contact: str | None = None
    influence: Annotated[Level | None, WithJsonSchema(_LEVEL_SCHEMA)] = None
    interest: Annotated[Level | None, WithJsonSchema(_LEVEL_SCHEMA)] = None
    #: Where it was declared, for error messages (not a field, as for ``Objective``).
    _source: str | None = PrivateAttr(default=None)

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        # The config's JSON Schema (``config schema``) must accept a plain name too.
        return {"anyOf": [{"type": "string", "minLength": 1}, handler(core_schema)]}

    @property
    def source(self) -> str | None:
        """``file:line`` (or the config's location) of the declaration, when known."""
        return self._source

    def located(self, source: str | None) -> Stakeholder:
        """A copy that remembers where it was declared."""
        copy = self.model_copy()
        copy._source = source
        return copy

    @model_validator(mode="before")
    @classmethod
    def _plain_name(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {"name": value}
        return value

    @field_validator("name", mode="before")
    @classmethod
    def _stripped(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        # As in items' ``stakeholders:`` lists (connectors/_yaml_items.py): names are
        # identifiers that every output shows.
        if has_control(value):
            raise ValueError("control characters are not allowed in names")
        return value.strip()

    @field_validator("influence", "interest", mode="before")
    @classmethod
    def _level(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value


class Backlog(BaseModel):
    """Items from one or more sources, plus the objectives and stakeholders declared with them.

    ``objectives`` is flat: a key result is an ``Objective`` whose ``parent`` is its
    objective. ``load_backlog`` adds the config's declarations (a file's wins).
    """

    items: list[BacklogItem] = Field(default_factory=list)
    objectives: list[Objective] = Field(default_factory=list)
    stakeholders: list[Stakeholder] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    #: Status categories of dependencies outside the backlog that the source looked up
    #: (Jira: an "is blocked by" issue outside the JQL result), so that a done one counts as
    #: done and not as unknown. Keys the source found missing are absent.
    dependency_statuses: dict[str, StatusCategory] = Field(default_factory=dict)


class ScoredItem(BaseModel):
    """An item with its score under one model and its position in the ranking."""

    rank: int
    key: str
    title: str
    score: float
    inputs: dict[str, float | str | None]
    status: str
    explanation: str | None = None
    #: The item's type (story, bug, epic...).
    type: str


class UnscoredItem(BaseModel):
    """An item a model could not score, with the reason (never scored as 0)."""

    key: str
    title: str
    status: str
    reason: str
    #: The item's type: an epic without inputs is usually scored through its stories.
    type: str


class Finding(BaseModel):
    """One lint finding. Serialized as the lint JSON contract (docs/architecture.md)."""

    code: str
    severity: Severity
    key: str
    message: str
    source: str | None = None
    line: int | None = None
    url: str | None = None
    rule: str | None = None
