"""The rank JSON document (DESIGN.md contract, ``schema_version`` 1; fields are only added)."""

from __future__ import annotations

from pydantic_core import to_json

from backlogctl.scoring.ranking import Ranking

SCHEMA_VERSION = 1


def render_rank_json(ranking: Ranking, *, explain: bool = False) -> str:
    """The ranking as indented JSON; ``explanation`` per item only with ``explain``.

    Ranked items are serialized from ``Ranking.rows()`` (``ScoredItem``'s fields, in its
    order) by pydantic's serializer: validating 66k ``ScoredItem`` records first cost more
    than all the rest of rendering.
    """
    rows = ranking.rows()
    if not explain:
        for row in rows:
            del row["explanation"]
    document = {
        "schema_version": SCHEMA_VERSION,
        "model": ranking.model.name,
        "items": rows,
        "unscored": ranking.unscored,
    }
    return to_json(document, indent=2).decode() + "\n"
