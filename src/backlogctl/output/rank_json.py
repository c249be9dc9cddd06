"""The rank JSON document (DESIGN.md contract, ``schema_version`` 1; fields are only added)."""

from __future__ import annotations

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
    # pydantic's own serializer (model_dump_json) is several times faster than json.dumps
    # over model_dump(mode="json") on 10k items, and produces the same document.
    return report.model_dump_json(indent=2, exclude=exclude) + "\n"
