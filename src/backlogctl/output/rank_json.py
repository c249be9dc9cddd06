"""The rank JSON document (DESIGN.md contract, ``schema_version`` 1; fields are only added)."""

from __future__ import annotations

import json

from pydantic import BaseModel

from backlogctl.models import ScoredItem, UnscoredItem
from backlogctl.scoring.ranking import Ranking

SCHEMA_VERSION = 1


class RankReport(BaseModel):
    """The top-level rank JSON object."""

    schema_version: int = SCHEMA_VERSION
    model: str
    items: list[ScoredItem]
    unscored: list[UnscoredItem]


def render_rank_json(ranking: Ranking, *, explain: bool = False) -> str:
    """The ranking as indented JSON; ``explanation`` per item only with ``explain``."""
    report = RankReport(model=ranking.model.name, items=ranking.ranked, unscored=ranking.unscored)
    exclude = None if explain else {"items": {"__all__": {"explanation"}}}
    data = report.model_dump(mode="json", exclude=exclude)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
