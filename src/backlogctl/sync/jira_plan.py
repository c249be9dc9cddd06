"""Jira write plans: the operations, their JSON document, saving, loading and the bound.

One operation is one write request: ``set_field`` / ``add_label`` / ``remove_label`` /
``comment`` name an issue, a field and its old and new value; ``rank`` moves up to 50 issues
just before or after another one. The document (``schema_version`` 1) is what ``--format
json`` prints, ``--plan-out`` saves and ``--apply-plan`` applies exactly; it also records the
server it was made for and, for rank moves, the order of the moved issues' board at planning
time, so a plan applied later can tell what changed since it was reviewed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated, Any, Literal

import pydantic_core
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from backlogctl.connectors.jira_write import RANK_BATCH
from backlogctl.errors import InputError
from backlogctl.writeback.atomic import write_text_atomic

SCHEMA_VERSION: Literal[1] = 1
#: Default of ``--max-operations`` (``jira.push.max_operations``, ``jira.mark.max_operations``).
DEFAULT_MAX_OPERATIONS = 500
#: Largest plan file read (a 500-operation plan is far below).
MAX_PLAN_BYTES = 20_000_000

#: A field value as Jira's JSON holds it (finite numbers, texts, null).
Value = Annotated[float, Field(allow_inf_nan=False)] | str | None

#: A Jira issue key (project key, dash, number). Keys go into request paths: a hand-edited
#: plan's ``A-1/../../user`` must be refused here, not sent with the user's token.
_ISSUE_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_]*-[0-9]+")


def _issue_key(key: str) -> str:
    if not _ISSUE_KEY.fullmatch(key):
        raise ValueError(f"not a Jira issue key: {key[:80]!r}")
    return key


IssueKey = Annotated[str, Field(min_length=1, max_length=255), AfterValidator(_issue_key)]


class _Op(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: IssueKey


class SetField(_Op):
    """Set one field of one issue from ``old`` to ``new`` (``PUT issue`` with that field)."""

    op: Literal["set_field"] = "set_field"
    field: str = Field(min_length=1)
    old: Value = None
    new: Value = None


class AddLabel(_Op):
    """Add the label ``new`` (``update: {labels: [{add}]}``: other labels stay)."""

    op: Literal["add_label"] = "add_label"
    field: Literal["labels"] = "labels"
    old: None = None
    new: str = Field(min_length=1)


class RemoveLabel(_Op):
    """Remove the label ``old`` (``update: {labels: [{remove}]}``)."""

    op: Literal["remove_label"] = "remove_label"
    field: Literal["labels"] = "labels"
    old: str = Field(min_length=1)
    new: None = None


class AddComment(_Op):
    """Post the comment ``new`` on the issue."""

    op: Literal["comment"] = "comment"
    field: Literal["comment"] = "comment"
    old: None = None
    new: str = Field(min_length=1)


class RankMove(BaseModel):
    """Move ``keys`` (1 to 50, in this order) just ``before`` or ``after`` another issue."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    op: Literal["rank"] = "rank"
    keys: list[IssueKey] = Field(min_length=1, max_length=RANK_BATCH)
    before: IssueKey | None = None
    after: IssueKey | None = None

    @model_validator(mode="after")
    def _one_anchor(self) -> RankMove:
        if (self.before is None) == (self.after is None):
            raise ValueError("a rank operation needs exactly one of 'before' and 'after'")
        anchor = self.before or self.after
        if len(set(self.keys)) != len(self.keys) or anchor in self.keys:
            raise ValueError("a rank operation names an issue twice")
        return self

    @property
    def anchor(self) -> str:
        """The issue the moved ones are placed next to."""
        return self.before or self.after or ""


Operation = Annotated[
    SetField | AddLabel | RemoveLabel | AddComment | RankMove, Field(discriminator="op")
]
IssueOperation = SetField | AddLabel | RemoveLabel | AddComment


class JiraPlan(BaseModel):
    """The plan document. Unknown top-level fields are ignored (later versions add some);
    unknown operation kinds or fields are refused: a plan is applied exactly or not at all."""

    model_config = ConfigDict(extra="ignore")

    schema_version: Literal[1] = SCHEMA_VERSION
    #: The Jira base URL the plan was made for (applying it elsewhere is refused).
    server: str = ""
    #: The query it was made from.
    jql: str = ""
    operations: list[Operation] = Field(default_factory=list)
    count: int = 0
    #: Keys of the issues the rank moves order, in their board order when planned.
    board_order: list[IssueKey] = Field(default_factory=list)

    @model_validator(mode="after")
    def _counted(self) -> JiraPlan:
        if self.count != len(self.operations):
            raise ValueError(
                f"'count' is {self.count} but the plan holds {len(self.operations)} operations"
            )
        return self

    @classmethod
    def of(
        cls, operations: list[Any], *, server: str, jql: str, board_order: list[str]
    ) -> JiraPlan:
        """A plan of ``operations`` with its count filled in."""
        return cls(
            server=server,
            jql=jql,
            operations=operations,
            count=len(operations),
            board_order=board_order if any(isinstance(op, RankMove) for op in operations) else [],
        )

    @property
    def issue_operations(self) -> list[IssueOperation]:
        """The field, label and comment writes (each on one issue)."""
        return [op for op in self.operations if not isinstance(op, RankMove)]

    @property
    def rank_moves(self) -> list[RankMove]:
        """The rank calls, in the order they must run (each anchors on the ones before)."""
        return [op for op in self.operations if isinstance(op, RankMove)]


def plan_document(plan: JiraPlan, **extra: Any) -> dict[str, Any]:
    """The plan as the JSON document's dict: a rank operation shows only its anchor, other
    operations always show ``old`` and ``new`` (``null`` included). ``extra`` adds fields."""
    operations = [
        op.model_dump(mode="json", exclude_none=isinstance(op, RankMove)) for op in plan.operations
    ]
    document: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "server": plan.server,
        "jql": plan.jql,
        "operations": operations,
        "count": plan.count,
    }
    if plan.board_order:
        document["board_order"] = plan.board_order
    document.update(extra)
    return document


def plan_json(plan: JiraPlan, **extra: Any) -> str:
    """The plan document as indented JSON text (exact values)."""
    return pydantic_core.to_json(plan_document(plan, **extra), indent=2).decode() + "\n"


def save_plan(plan: JiraPlan, path: Path) -> None:
    """Write the plan to ``path`` atomically (``--plan-out``)."""
    write_text_atomic(path, plan_json(plan))


def load_plan(path: Path) -> JiraPlan:
    """Read and validate a plan file (``--apply-plan``); any problem is one line, exit 2."""
    where = str(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_PLAN_BYTES + 1)
    except OSError as exc:
        raise InputError(f"cannot read the plan: {exc.strerror}", location=where) from None
    if len(data) > MAX_PLAN_BYTES:
        raise InputError(f"the plan is larger than {MAX_PLAN_BYTES:,} bytes", location=where)
    try:
        document = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise InputError("the plan is not UTF-8 text", location=where) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"not a JSON plan: {exc.msg}", location=f"{where}:{exc.lineno}") from None
    except RecursionError:
        raise InputError("not a plan: nested too deeply", location=where) from None
    if not isinstance(document, dict):
        raise InputError("not a plan: expected a JSON object", location=where)
    if document.get("schema_version") != SCHEMA_VERSION:
        raise InputError(
            f"unsupported plan schema_version {document.get('schema_version')!r} "
            f"(this backlogctl reads {SCHEMA_VERSION})",
            location=where,
        )
    try:
        return _adapter().validate_python(document)
    except ValidationError as exc:
        error = exc.errors()[0]
        place = ".".join(str(part) for part in error["loc"] if not _is_tag(part))
        message = str(error["msg"]).removeprefix("Value error, ")
        raise InputError(
            f"invalid plan: {place + ': ' if place else ''}{message}", location=where
        ) from None


def _is_tag(part: Any) -> bool:
    """Pydantic names the union member in a location (``operations.3.rank.keys``)."""
    return part in ("set_field", "add_label", "remove_label", "comment", "rank")


def _adapter() -> TypeAdapter[JiraPlan]:
    return TypeAdapter(JiraPlan)


def check_bound(plan: JiraPlan, max_operations: int) -> None:
    """Refuse (exit 2) a plan of more than ``max_operations`` writes, before any is sent."""
    if plan.count > max_operations:
        raise InputError(
            f"the plan has {plan.count} write operations, more than --max-operations "
            f"{max_operations}: nothing was written; narrow the query or raise the bound"
        )
