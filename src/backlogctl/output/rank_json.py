"""The rank JSON document, ``schema_version`` 1: fields are only added (docs/architecture.md).

Item text is kept exactly; ``json_text.terminal_safe`` escapes the characters JSON itself
leaves raw.
"""

from __future__ import annotations

from backlogctl.output.json_text import json_document
from backlogctl.output.rank_common import RankView

SCHEMA_VERSION = 1


def render_rank_json(view: RankView) -> str:
    """The ranking as indented JSON; ``explanation`` per item only with ``explain``;
    ``normalized_score`` per item and ``normalization`` (``of_top`` or ``min_max``) only with
    ``normalize``.

    Ranked items are serialized from ``Ranking.rows()`` (``ScoredItem``'s fields, in its
    order) by pydantic's serializer: validating 66k ``ScoredItem`` records first cost more
    than all the rest of rendering.
    """
    ranking = view.ranking
    rows = ranking.rows()
    if not view.explain:
        for row in rows:
            del row["explanation"]
    document: dict[str, object] = {
        "schema_version": SCHEMA_VERSION,
        "model": ranking.model.name,
        "items": rows,
        "unscored": ranking.unscored,
    }
    if view.normalized is not None:
        for row, value in zip(rows, view.normalized.values, strict=True):
            row["normalized_score"] = value
        document["normalization"] = view.normalized.method
    return json_document(document)
